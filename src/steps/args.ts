/**
 * Declaring a step's arguments once, with TypeBox: the TypeScript type (Static<typeof …Args>), the
 * strict schema the rendered arguments must satisfy, and the authoring schema a playbook is checked
 * against (schemas/steps/<step>.schema.json) all come from one declaration in the step's file.
 */
import { Type, type SchemaOptions, type Static, type TSchema, type TUnion, type TUnsafe } from '@sinclair/typebox';

/** A string that is one whole `{{ template }}` (what a templated field may hold in a playbook). */
export const TEMPLATE_PATTERN = '^\\{\\{.*\\}\\}$';

/** Plain JSON Schema, as written to schemas/ and compiled by ajv. */
export type JsonSchema = Record<string, unknown>;

/** Marks a field whose playbook text may be a `{{ template }}`; holds what its message adds. */
const templateSuffix = Symbol('remedy.templateSuffix');

type Marked = Record<string | symbol, unknown>;

/** A string that must be one of `values` (an `enum`, as editors complete it). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, enum: [...values] });
}

/**
 * One schema node that admits several JSON types (`type: [string, array, object]`), each with its own
 * keywords; the branches must not share a keyword. Errors then point at the branch of the value's type,
 * as a multi-type node reports them, where an anyOf would add the other branches' type errors.
 */
export function Types<T extends TSchema[]>(branches: [...T], options: SchemaOptions = {}): TUnsafe<Static<TUnion<T>>> {
  const merged: JsonSchema = {};
  const types: string[] = [];
  for (const branch of branches) {
    for (const [key, value] of Object.entries(branch)) {
      if (key === 'type') {
        types.push(...(Array.isArray(value) ? value as string[] : [value as string]));
      } else if (key in merged && JSON.stringify(merged[key]) !== JSON.stringify(value)) {
        throw new Error(`Types: two branches set '${key}' differently`);
      } else {
        merged[key] = value;
      }
    }
  }
  return Type.Unsafe<Static<TUnion<T>>>({ type: types, ...merged, ...options });
}

/**
 * A field whose value in a playbook may also be one whole `{{ template }}`: the authoring schema
 * accepts that string, and the rendered value must satisfy `schema`. Its errorMessage, with `suffix`
 * added, is the authoring message.
 */
export function Templated<T extends TSchema>(schema: T, suffix = ' (or a {{ template }})'): T {
  if (typeof schema.errorMessage !== 'string') throw new Error('Templated: the field needs an errorMessage');
  return { ...schema, [templateSuffix]: suffix };
}

/** The optional-arguments form: a mapping, or nothing at all (`daemon_reexec:`). */
export function OrNull<T extends TSchema>(schema: T, options: SchemaOptions = {}): TUnsafe<Static<T> | null> {
  return Types([schema, Type.Null()], options) as TUnsafe<Static<T> | null>;
}

/** The authoring form of a templated node (already plain). */
function widen(node: JsonSchema, suffix: string): JsonSchema {
  const errorMessage = `${String(node.errorMessage)}${suffix}`;
  const types = Array.isArray(node.type) ? node.type as string[] : [node.type as string];
  const pattern = node.pattern;
  if (types.length === 1 && types[0] === 'string' && typeof pattern === 'string' && /^\^.*\$$/.test(pattern)) {
    return { ...node, pattern: `^(${pattern.slice(1, -1)}|\\{\\{.*\\}\\})$`, errorMessage };
  }
  if (node.type !== undefined && !types.includes('string') && pattern === undefined) {
    return { ...node, type: [...types, 'string'], pattern: TEMPLATE_PATTERN, errorMessage };
  }
  throw new Error(`Templated: cannot add a template form to ${JSON.stringify(node)}`);
}

function toPlain(node: unknown, authoring: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => toPlain(n, authoring));
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = toPlain(value, authoring);
  const suffix = (node as Marked)[templateSuffix];
  return authoring && typeof suffix === 'string' ? widen(out, suffix) : out;
}

/** The schema the rendered arguments must satisfy (plain JSON, without TypeBox's symbols). */
export function strictSchema(schema: TSchema): JsonSchema {
  return toPlain(schema, false) as JsonSchema;
}

/** The schema a playbook's arguments are checked against: templated fields also take a `{{ template }}`. */
export function authoringSchema(schema: TSchema): JsonSchema {
  return toPlain(schema, true) as JsonSchema;
}
