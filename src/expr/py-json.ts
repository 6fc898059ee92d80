/**
 * Python's json.dumps, as ansible-core's to_json / to_nice_json and Jinja2's tojson call it:
 * `[1, 2]` and `{"a": 1}` with ', ' and ': ' separators (',' between items once indented),
 * non-ASCII escaped unless ensure_ascii is off, floats as Python prints them (4040.0, NaN,
 * Infinity), tuples as lists, keys optionally sorted.
 */
import { floatRepr, intRepr } from './py-text.js';
import { isFloat, numberValue, PyFloat } from './py-values.js';

export interface JsonOptions {
  indent?: number | string;
  sortKeys?: boolean;
  ensureAscii?: boolean;
  separators?: [string, string];
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A JSON string literal as Python writes it. */
export function jsonString(s: string, ensureAscii = true): string {
  const pattern = ensureAscii ? /["\\\u0000-\u001f\u007f-\uffff]/g : /["\\\u0000-\u001f]/g;
  return `"${s.replace(pattern, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function numberText(v: number | PyFloat): string {
  const n = numberValue(v);
  if (!isFloat(v)) return intRepr(n);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return floatRepr(n);
}

function keyText(k: string, o: Required<Pick<JsonOptions, 'ensureAscii'>>): string {
  return jsonString(k, o.ensureAscii);
}

/** Python's json.dumps(value, **options); non-JSON values fail through `fail`. */
export function pyJsonDumps(value: unknown, options: JsonOptions, fail: (message: string) => never): string {
  const indent = typeof options.indent === 'number' ? ' '.repeat(Math.max(0, options.indent)) : options.indent;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const ensureAscii = options.ensureAscii ?? true;
  const write = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number' || v instanceof PyFloat) return numberText(v);
    if (typeof v === 'string') return jsonString(v, ensureAscii);
    const isList = Array.isArray(v);
    const isMap = !isList && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
    if (!isList && !isMap) return fail(`Object of type ${typeof v} is not JSON serializable`);
    const m = v as Record<string, unknown>;
    const keys = isMap ? Object.keys(m) : [];
    if (options.sortKeys) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const parts = isList ? (v as unknown[]).map((x) => write(x, level + 1)) : keys.map((k) => `${keyText(k, { ensureAscii })}${keySep}${write(m[k], level + 1)}`);
    const [open, close] = isList ? ['[', ']'] : ['{', '}'];
    if (parts.length === 0) return open + close;
    if (indent === undefined) return open + parts.join(itemSep) + close;
    const inner = `\n${indent.repeat(level + 1)}`;
    return `${open}${inner}${parts.join(itemSep + inner)}\n${indent.repeat(level)}${close}`;
  };
  return write(value, 0);
}

class JsonSyntaxError extends Error {}

/**
 * Python's json.loads: floats stay floats (`1.0` is a PyFloat), NaN/Infinity/-Infinity are read,
 * a repeated key keeps its last value, every mapping is a plain object with own keys only.
 */
export function pyJsonLoads(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const value = (depth: number): unknown => {
    if (depth > 1000) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i += 1;
      const list: unknown[] = [];
      const map: Record<string, unknown> = {};
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i += 1;
        return c === '{' ? map : list;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail('expecting property name enclosed in double quotes');
          const key = value(depth + 1) as string;
          ws();
          if (text[i] !== ':') fail("expecting ':' delimiter");
          i += 1;
          Object.defineProperty(map, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        } else {
          list.push(value(depth + 1));
        }
        ws();
        if (text[i] === ',') {
          i += 1;
          continue;
        }
        if (text[i] === (c === '{' ? '}' : ']')) {
          i += 1;
          return c === '{' ? map : list;
        }
        return fail("expecting ',' delimiter");
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i));
      if (!m) return fail('invalid string');
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|NaN|-?Infinity|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return fail('expecting value');
    i += m[0].length;
    const t = m[0];
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (/Infinity|NaN/.test(t)) return t === 'NaN' ? NaN : t.startsWith('-') ? -Infinity : Infinity;
    const n = Number(t);
    return m[1] !== undefined || m[2] !== undefined ? (Number.isInteger(n) ? new PyFloat(n) : n) : n;
  };
  const result = value(0);
  ws();
  if (i < text.length) fail('extra data');
  return result;
}
