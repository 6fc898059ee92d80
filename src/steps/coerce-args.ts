/**
 * A whole `{{ template }}` renders an -e variable as the string it was given: `-e reboot_timeout=300`
 * gives "300", `-e force=yes` gives "yes". Before the strict check, such a string becomes the number or
 * boolean the schema asks for at that place, as Ansible converts module arguments (check_type_bool,
 * check_type_float, check_type_int), and a number becomes the string a string field asks for. Where
 * the schema admits the value as it is, or no conversion applies, the value is left for the check.
 */
import type { JsonSchema } from './args.js';

const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f']);
/** A plain decimal number (no hex, no underscores, no inf or nan). */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isSchema(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typesOf(schema: JsonSchema): string[] | undefined {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  return Array.isArray(t) ? t as string[] : undefined;
}

function admits(types: string[], v: unknown): boolean {
  const kind = kindOf(v);
  return types.includes(kind) || (kind === 'number' && types.includes('integer') && Number.isInteger(v));
}

/** The value as the first of `types` it converts to, or the value itself. */
function convert(value: unknown, types: string[]): unknown {
  for (const t of types) {
    if (typeof value === 'string') {
      const s = value.trim();
      if (t === 'boolean' && TRUE_WORDS.has(s.toLowerCase())) return true;
      if (t === 'boolean' && FALSE_WORDS.has(s.toLowerCase())) return false;
      if (t === 'number' && DECIMAL.test(s) && Number.isFinite(Number(s))) return Number(s);
      if (t === 'integer' && INTEGER.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
    }
    if (t === 'boolean' && (value === 1 || value === 0)) return value === 1;
    if (t === 'string' && typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return value;
}

/** The value (a new structure) with each place the schema types converted as above. */
export function coerceToSchema(schema: JsonSchema, value: unknown): unknown {
  const types = typesOf(schema);
  if (types && !admits(types, value)) return convert(value, types);
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as unknown[]).filter(isSchema);
    const fit = branches.find((b) => !typesOf(b) || admits(typesOf(b) ?? [], value));
    if (fit) return coerceToSchema(fit, value);
    for (const b of branches) {
      const converted = coerceToSchema(b, value);
      if (converted !== value) return converted;
    }
    return value;
  }
  if (Array.isArray(value) && isSchema(schema.items)) {
    const items = schema.items;
    return value.map((v) => coerceToSchema(items, v));
  }
  if (kindOf(value) === 'object') {
    const props = isSchema(schema.properties) ? schema.properties : {};
    const rest = isSchema(schema.additionalProperties) ? schema.additionalProperties : undefined;
    return Object.fromEntries(Object.entries(value as object).map(([k, v]): [string, unknown] => {
      const sub = Object.hasOwn(props, k) && isSchema(props[k]) ? props[k] : rest;
      return [k, sub ? coerceToSchema(sub, v) : v];
    }));
  }
  return value;
}
