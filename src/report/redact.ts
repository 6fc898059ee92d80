/**
 * Masks known secret values (connection and become passwords, key passphrases) wherever they appear
 * in what remedy writes: events before any reporter sees them, the final report before any format is
 * rendered, error messages. A host that echoes a secret back is masked too, since its output is text
 * like any other. Matching is on the raw text; a secret the host transformed (encoded, split) is not
 * recognised.
 */

export const MASK = '********';

export interface Redactor {
  /** Adds a secret learnt during the run (a passphrase typed at a prompt). */
  add(secret: string): void;
  /** A copy of value with every secret masked in every string (keys included); value itself is untouched. */
  redact<T>(value: T): T;
  /** The text with every secret masked. */
  redactText(text: string): string;
}

export function createRedactor(secrets: Iterable<string> = []): Redactor {
  const known = new Set<string>();
  let ordered: string[] = [];
  const add = (secret: string): void => {
    if (secret === '' || known.has(secret)) return;
    known.add(secret);
    // Longest first, so a secret that contains another is masked whole.
    ordered = [...known].sort((a, b) => b.length - a.length);
  };
  for (const s of secrets) add(s);

  const redactText = (text: string): string => {
    if (ordered.length === 0) return text;
    let out = text;
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 64) return deepText(value, redactText);
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    if (value instanceof Map) return new Map([...value].map(([k, v]) => [walk(k, depth + 1), walk(v, depth + 1)]));
    if (value instanceof Set) return new Set([...value].map((v) => walk(v, depth + 1)));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactText(k)] = walk(v, depth + 1);
    return out;
  };

  return {
    add,
    redactText,
    redact<T>(value: T): T {
      return ordered.length === 0 ? value : (walk(value, 0) as T);
    },
  };
}

/** Past 64 levels a value is kept as its redacted JSON text: nothing is left unmasked, however deep. */
function deepText(value: object, redactText: (t: string) => string): string {
  try {
    return redactText(JSON.stringify(value) ?? '');
  } catch {
    return '[too deep to show]';
  }
}
