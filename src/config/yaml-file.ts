import { readFile } from 'node:fs/promises';
import { isCollection, isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigProblem } from '../model/errors.js';
import { ansibleYamlTags } from './yaml-11.js';
import { documentValue } from './yaml-values.js';

/** A parsed YAML file that can say where any value came from. */
export interface YamlFile {
  file: string;
  value: unknown;
  /** Position of the node at a JSON pointer (or of its nearest existing parent); 1-based. */
  positionOf(pointer: string): { line: number; column: number };
  /** Position of the KEY of the entry at a pointer (for "unknown key" problems). */
  keyPositionOf(pointer: string): { line: number; column: number };
  /**
   * Position of the character at `offset` inside the string value at a pointer (e.g. where an
   * expression error is). Exact for single-line plain and quoted scalars and for block scalars;
   * otherwise the position of the scalar.
   */
  positionInString(pointer: string, offset: number): { line: number; column: number };
  /** A problem located at the pointer. */
  problemAt(pointer: string, message: string, atKey?: boolean): ConfigProblem;
  /**
   * The key of the mapping entry at a pointer as YAML typed it (true for `yes:`, 1 for `1:`),
   * where the parsed value only has its text; undefined when there is no such entry.
   */
  keyAt(pointer: string): unknown;
  /**
   * Drops the syntax tree (most of the file's memory: an inventory of 10,000 hosts holds ~25 MB of
   * it); a position asked for later parses the text again.
   */
  release(): void;
}

export function pointerToPath(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function pathToPointer(path: Array<string | number>): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Reads and parses a YAML file; syntax errors (all of them) become one ConfigError with line:column. */
export async function readYamlFile(file: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a YAML file' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    throw new ConfigError({ file, message: `cannot read file: ${why}` });
  }
  return parseYamlText(file, text);
}

/**
 * Parses YAML text as Ansible reads it: YAML 1.1 scalars (yes/no/on/off booleans, 0644 octal,
 * 1_000, 12:30 sexagesimal, dates as text; see yaml-11.ts), merge keys, and, stricter than
 * Ansible (which warns), an error for a duplicate key.
 */
export function parseYamlText(file: string, source: string): YamlFile {
  // A UTF-8 byte order mark is no content (Ansible's loader skips it too).
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const { doc, lineCounter } = parseTree(text);
  const problems: ConfigProblem[] = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'DUPLICATE_KEY')].map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    const first = e.message.split('\n')[0] ?? e.message;
    const message = first.replace(/ at line \d+, column \d+:?$/, '');
    // A scalar its type cannot read (a bad date, a too large integer) is no syntax error.
    return { file, line: pos.line, column: pos.col, message: e.code === 'TAG_RESOLVE_FAILED' ? message : `YAML syntax error: ${message}` };
  });
  const json = jsonValue(text);
  if (problems.length > 0) {
    if (json.ok) return makeYamlFile(file, '', parseDocument(''), new LineCounter(), json.value);
    throw new ConfigError(problems);
  }
  // As Ansible's loader: text that is JSON is read as JSON (1e3 is a number there, text in YAML 1.1).
  const value = json.ok ? json.value : documentValue(file, doc, lineCounter);
  return makeYamlFile(file, text, doc, lineCounter, value);
}

function parseTree(text: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, merge: true, logLevel: 'error',
    version: '1.1', schema: 'yaml-1.1', customTags: ansibleYamlTags,
  });
  return { doc, lineCounter };
}

function jsonValue(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!/^\s*[[{"]/.test(text)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function makeYamlFile(file: string, text: string, doc: Document, lineCounter: LineCounter, value: unknown): YamlFile {
  let tree: { doc: Document; lineCounter: LineCounter } | undefined = { doc, lineCounter };
  const parsed = () => (tree ??= parseTree(text));
  const at = (offset: number | undefined) => {
    const p = parsed().lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  /** Finds the deepest existing node along a path, the pair holding it, and whether the whole path exists. */
  const locate = (pointer: string): { node: Node | null; keyNode: Node | null; found: boolean } => {
    let node: Node | null = parsed().doc.contents as Node | null;
    let keyNode: Node | null = null;
    for (const seg of pointerToPath(pointer)) {
      if (!node || !isCollection(node)) return { node, keyNode, found: false };
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
        if (!pair) return { node, keyNode, found: false };
        keyNode = pair.key as Node;
        node = (pair.value as Node | null) ?? keyNode;
      } else {
        const item = node.items[Number(seg)] as Node | undefined;
        if (item === undefined) return { node, keyNode, found: false };
        keyNode = null;
        node = item;
      }
    }
    return { node, keyNode, found: true };
  };
  const positionOf = (pointer: string) => at(locate(pointer).node?.range?.[0]);
  const keyPositionOf = (pointer: string) => {
    const { node, keyNode } = locate(pointer);
    return at((keyNode ?? node)?.range?.[0]);
  };
  const positionInString = (pointer: string, offset: number) => {
    const { node } = locate(pointer);
    if (!node || !isScalar(node) || typeof node.value !== 'string' || !node.range) return positionOf(pointer);
    const start = node.range[0];
    const raw = text.slice(start, node.range[1]);
    const at0 = at(start);
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
      const rel = offsetInBlock(raw, node.value, offset, node.type === 'BLOCK_FOLDED');
      return rel ? { line: at0.line + rel.line, column: rel.column } : at0;
    }
    if (raw.includes('\n')) return at0;
    if (node.type === 'PLAIN') return { line: at0.line, column: at0.column + Math.min(offset, raw.length) };
    const quoted = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE' ? rawIndexInQuoted(raw, offset, node.type === 'QUOTE_DOUBLE') : 0;
    return { line: at0.line, column: at0.column + quoted };
  };
  return {
    file,
    value,
    positionOf,
    keyPositionOf,
    positionInString,
    keyAt(pointer) {
      const { keyNode, found } = locate(pointer);
      return found && keyNode && isScalar(keyNode) ? keyNode.value : undefined;
    },
    problemAt(pointer, message, atKey = false) {
      const pos = atKey ? keyPositionOf(pointer) : positionOf(pointer);
      return { file, line: pos.line, column: pos.column, pointer, message };
    },
    release() {
      tree = undefined;
    },
  };
}

/** Index in a one-line quoted scalar's source (quotes included) of the decoded character at `offset`. */
function rawIndexInQuoted(raw: string, offset: number, double: boolean): number {
  let i = 1;
  for (let decoded = 0; decoded < offset && i < raw.length - 1; decoded++) {
    if (!double && raw[i] === "'" && raw[i + 1] === "'") i += 2;
    else if (double && raw[i] === '\\') {
      const c = raw[i + 1];
      i += c === 'x' ? 4 : c === 'u' ? 6 : c === 'U' ? 10 : 2;
    } else i += 1;
  }
  return i;
}

/**
 * Line (relative to the header line, so >= 1) and 1-based column of the value character at
 * `offset` in a block scalar: each content line contributes its text plus one separator
 * (a newline, or a space when folded); blank lines of a folded scalar add only a newline.
 */
function offsetInBlock(raw: string, value: string, offset: number, folded: boolean): { line: number; column: number } | undefined {
  const lines = raw.split('\n').slice(1);
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  if (!Number.isFinite(indent)) return undefined;
  let pos = 0;
  for (let i = 0; i < lines.length; i++) {
    const content = (lines[i] ?? '').slice(indent);
    const blank = content.trim() === '';
    if (offset <= pos + content.length && !(blank && folded)) return { line: i + 1, column: indent + (offset - pos) + 1 };
    pos += blank && folded ? (i > 0 && (lines[i - 1] ?? '').trim() !== '' ? 0 : 1) : content.length + 1;
    if (pos > value.length) break;
  }
  return undefined;
}
