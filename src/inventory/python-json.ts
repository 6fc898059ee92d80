/**
 * JSON as Python's json.dumps(value, sort_keys=True, indent=4, ensure_ascii=False) writes it,
 * which is how ansible-inventory prints: keys sorted by code point, floats as Python's repr
 * (1e-05, 1e+16), control characters as \u00XX. JavaScript has one number type: a float with an
 * integral value (1.0) prints as an integer (1).
 */

/** Python's repr() of a float. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const digits = mantissa.replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, '0')}.${digits.slice(exp + 1) || '0'}`;
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function quote(s: string): string {
  return `"${s.replace(/[\x00-\x1f"\\]/g, (c) => {
    const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  })}"`;
}

/** Python's str order: by code point. */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function write(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    // Integers beyond 2^53 never come from remedy's parsers as integers: such a number was a float.
    return Number.isSafeInteger(value) ? String(value) : pythonFloatRepr(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return quote(value);
  const pad = ' '.repeat(4 * (depth + 1));
  const end = ' '.repeat(4 * depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + write(v, depth + 1)).join(',\n')}\n${end}]`;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort(compareCodePoints);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${pad}${quote(k)}: ${write(o[k], depth + 1)}`).join(',\n')}\n${end}}`;
}

export function pythonJson(value: unknown): string {
  return write(value, 0);
}
