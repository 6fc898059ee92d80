/**
 * Conversion and data-format filters: int, float, bool, abs, round, log, pow, root, type_debug,
 * to_json, to_nice_json, tojson, from_json, to_yaml, to_nice_yaml, from_yaml. They behave as
 * ansible-core 2.14 and Jinja2 3.1 (base64 and hashes are in filters-encode.ts).
 */
import { Document, isMap, isScalar, isSeq, parseDocument, visit, type Tags } from 'yaml';
import type { FilterFn } from './filters.js';
import { exactInt } from './operators.js';
import { pyJsonDumps, pyJsonLoads } from './py-json.js';
import { pyStr, toFixedPy } from './py-text.js';
import { isFloat, isNamespace, isNumeric, isTuple, makeFloat, numberValue, PyFloat, toPlain } from './py-values.js';
import { argument as arg, type CallEnv } from './tests.js';
import { isMapping, isTruthy, makeMapping, type Mapping } from './values.js';

const PY_INT = /^\s*[+-]?(?:\d(?:_?\d)*)\s*$/;
const PY_FLOAT = /^\s*[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf(?:inity)?|nan)\s*$/i;

/** Python's float() of a string, or undefined when Python would raise ValueError. */
function parseFloatText(s: string): number | undefined {
  if (!PY_FLOAT.test(s)) return undefined;
  const t = s.trim().replace(/_/g, '').toLowerCase();
  if (/inf/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/nan/.test(t)) return NaN;
  return Number(t);
}

/** Python's int(text, base), or undefined when Python would raise ValueError. */
function parseIntText(s: string, base: number): number | undefined {
  const t = s.trim().replace(/(?<=[\da-z])_(?=[\da-z])/gi, '');
  if (base === 10) return PY_INT.test(s) ? Number(t) : undefined;
  const m = /^([+-]?)(?:0[xob])?([0-9a-z]+)$/i.exec(t);
  if (!m || base < 2 || base > 36) return undefined;
  const prefix = /^[+-]?0([xob])/i.exec(t)?.[1]?.toLowerCase();
  if (prefix && { x: 16, o: 8, b: 2 }[prefix] !== base) return undefined;
  const digits = m[2]!.toLowerCase();
  if ([...digits].some((c) => parseInt(c, 36) >= base)) return undefined;
  const n = parseInt(digits, base);
  return m[1] === '-' ? -n : n;
}

/** Jinja2's int: int(value) or int(text, base); "42.23" reads through float; anything else the default. */
const toInt: FilterFn = (v, args, kwargs, env) => {
  const fallback = arg(args, kwargs, 0, 'default', 0);
  const base = Number(arg(args, kwargs, 1, 'base', 10));
  const truncate = (n: number): unknown => (Number.isFinite(n) ? exactInt(Math.trunc(n), env.fail) : Number.isNaN(n) ? fallback : env.fail('cannot convert float infinity to integer'));
  if (isNumeric(v)) return truncate(numberValue(v));
  if (typeof v !== 'string') return fallback;
  const n = parseIntText(v, base);
  if (n !== undefined) return exactInt(n, env.fail);
  const f = parseFloatText(v);
  return f === undefined ? fallback : truncate(f);
};

const toFloat: FilterFn = (v, args, kwargs) => {
  const fallback = arg(args, kwargs, 0, 'default', new PyFloat(0));
  if (isNumeric(v)) return makeFloat(numberValue(v));
  if (typeof v !== 'string') return fallback;
  const f = parseFloatText(v);
  return f === undefined ? fallback : makeFloat(f);
};

/** ansible-core's bool: none and booleans as they are; 'yes', 'on', '1', 'true' (any case) and 1 are true. */
function toBool(v: unknown): unknown {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true'].includes(v.toLowerCase());
  return isNumeric(v) && numberValue(v) === 1;
}

function roundHalfEven(q: number): number {
  const r = Math.round(q);
  return Math.abs(q % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's round(x, n): halves go to the even neighbour (of the exact binary value); floats stay floats, ints ints. */
function pyRound(v: number | PyFloat | boolean, digits: number): unknown {
  const n = numberValue(v);
  if (!isFloat(v)) return digits >= 0 ? n : roundHalfEven(n / 10 ** -digits) * 10 ** -digits;
  if (!Number.isFinite(n) || (digits >= 0 && (digits > 22 || Math.abs(n) >= 2 ** 52))) return makeFloat(n);
  if (digits < 0) return makeFloat(roundHalfEven(n / 10 ** -digits) * 10 ** -digits);
  return makeFloat(Number(toFixedPy(n, digits)));
}

const round: FilterFn = (v, args, kwargs, env) => {
  if (!isNumeric(v)) return env.fail('round needs a number');
  const digits = Number(arg(args, kwargs, 0, 'precision', 0));
  const method = String(arg(args, kwargs, 1, 'method', 'common'));
  if (method === 'common') return pyRound(v, digits);
  if (method !== 'floor' && method !== 'ceil') return env.fail(`round: method must be common, ceil or floor, not ${pyStr(method)}`);
  const f = 10 ** digits;
  return makeFloat((method === 'floor' ? Math.floor : Math.ceil)(numberValue(v) * f) / f);
};

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (isNumeric(v)) return isFloat(v) ? 'float' : 'int';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (isNamespace(v)) return 'Namespace';
  return isMapping(v) ? 'dict' : 'object';
}

function jsonOptions(kwargs: Mapping, defaults: { indent?: number; sortKeys?: boolean }): Parameters<typeof pyJsonDumps>[1] {
  const indent = Object.hasOwn(kwargs, 'indent') ? kwargs.indent : defaults.indent;
  return {
    indent: indent === null || indent === undefined ? undefined : typeof indent === 'string' ? indent : numberValue(indent as number),
    sortKeys: isTruthy(Object.hasOwn(kwargs, 'sort_keys') ? kwargs.sort_keys : defaults.sortKeys ?? false),
    ensureAscii: Object.hasOwn(kwargs, 'ensure_ascii') ? isTruthy(kwargs.ensure_ascii) : true,
  };
}

const PY_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PY_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

/** PyYAML's booleans: the yaml package's YAML 1.1 schema also reads y/Y/n/N as booleans, PyYAML does not. */
function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:bool' || !('test' in t) || !t.test) return t;
    return { ...t, test: t.test.test('yes') ? PY_TRUE : PY_FALSE } as typeof t;
  });
}

/** YAML 1.1 as PyYAML reads it (`yes` is true, `1.0` a float), through the yaml package. */
function fromYaml(v: unknown, env: CallEnv): unknown {
  if (typeof v !== 'string') return v;
  const doc = parseDocument(v, { version: '1.1', keepSourceTokens: true, uniqueKeys: false, customTags: pyyamlBooleans });
  if (doc.errors.length > 0) return env.fail(`from_yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  visit(doc, {
    Scalar(_key, node) {
      const src = (node.srcToken as { source?: string } | undefined)?.source ?? '';
      if (typeof node.value === 'number' && Number.isInteger(node.value) && /^[-+]?(\d[\d_]*)?\.|[eE]/.test(src) && !/^0x/i.test(src)) {
        node.value = new PyFloat(node.value);
      }
    },
  });
  return toSafe(doc.toJS({ maxAliasCount: 100 }));
}

/** Rebuilds parsed data with own-property mappings only (a `__proto__` key stays a key); dates become text. */
function toSafe(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toSafe);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().replace(/T00:00:00\.000Z$/, '').replace('T', ' ').replace(/\.000Z$/, '');
  if (v !== null && typeof v === 'object' && !(v instanceof PyFloat)) {
    return makeMapping(Object.keys(v).map((k): [string, unknown] => [k, toSafe((v as Mapping)[k])]));
  }
  return v;
}

/** YAML text close to PyYAML's safe_dump: sorted keys, single quotes, block style (flow for leaf collections unless nice). */
function toYaml(v: unknown, nice: boolean, indent: number): string {
  const doc = new Document(toPlain(v) ?? null, { version: '1.1', sortMapEntries: true });
  if (!nice) {
    visit(doc, {
      Map(_k, node) { if (node.items.every((p) => isScalar(p.value) || p.value === null)) node.flow = true; },
      Seq(_k, node) { if (node.items.every((i) => !isMap(i) && !isSeq(i))) node.flow = true; },
    });
  }
  return doc.toString({ indent, indentSeq: false, singleQuote: true, lineWidth: 80, flowCollectionPadding: false });
}

function math(v: unknown, env: CallEnv, what: string): number {
  if (!isNumeric(v)) return env.fail(`${what} can only be used on numbers`);
  return numberValue(v);
}

export const DATA_FILTERS: Array<[string[], FilterFn]> = [
  [['int'], toInt],
  [['float'], toFloat],
  [['bool'], (v) => toBool(v)],
  [['abs'], (v, _a, _k, env) => (isNumeric(v) ? (isFloat(v) ? makeFloat(Math.abs(numberValue(v))) : Math.abs(numberValue(v))) : env.fail('abs needs a number'))],
  [['round'], round],
  [['log'], (v, args, kwargs, env) => {
    const base = arg(args, kwargs, 0, 'base', Math.E);
    const x = math(v, env, 'log()');
    if (x <= 0) env.fail('log(): math domain error');
    return makeFloat(base === 10 ? Math.log10(x) : Math.log(x) / Math.log(math(base, env, 'log()')));
  }],
  [['pow'], (v, args, kwargs, env) => makeFloat(math(v, env, 'pow()') ** math(arg(args, kwargs, 0, 'y'), env, 'pow()'))],
  [['root'], (v, args, kwargs, env) => {
    const base = math(arg(args, kwargs, 0, 'base', 2), env, 'root()');
    return makeFloat(base === 2 ? Math.sqrt(math(v, env, 'root()')) : math(v, env, 'root()') ** (1 / base));
  }],
  [['type_debug'], (v) => typeName(v)],
  [['to_json'], (v, _a, kwargs, env) => pyJsonDumps(v, jsonOptions(kwargs, {}), env.fail)],
  [['to_nice_json'], (v, args, kwargs, env) => pyJsonDumps(v, jsonOptions({ indent: arg(args, kwargs, 0, 'indent', 4), ...kwargs, sort_keys: arg(args, kwargs, 1, 'sort_keys', true) }, {}), env.fail)],
  [['tojson'], (v, args, kwargs, env) => pyJsonDumps(v, { ...jsonOptions({ indent: arg(args, kwargs, 0, 'indent', null) }, {}), sortKeys: true }, env.fail)
    .replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)],
  [['from_json'], (v, _a, _k, env) => {
    try {
      return pyJsonLoads(pyStr(v));
    } catch (err) {
      return env.fail(`from_json: ${(err as Error).message}`);
    }
  }],
  [['to_yaml'], (v, _a, kwargs) => toYaml(v, false, Number(kwargs.indent ?? 2))],
  [['to_nice_yaml'], (v, args, kwargs) => toYaml(v, true, Number(arg(args, kwargs, 0, 'indent', 4)))],
  [['from_yaml'], (v, _a, _k, env) => fromYaml(v, env)],
];
