import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ConfigProblem } from '../model/errors.js';
import type { YamlFile } from './yaml-file.js';

export type SchemaName = 'playbook' | 'inventory' | 'report';

/** schemas/ sits two levels above this file both in src/config and in dist/config. */
export const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const cache = new Map<SchemaName, ValidateFunction>();

export function loadSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(`${schemasDir}${name}.schema.json`, 'utf8')) as Record<string, unknown>;
}

export function compiledSchema(name: SchemaName): ValidateFunction {
  let fn = cache.get(name);
  if (!fn) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
    addFormats(ajv);
    fn = ajv.compile(loadSchema(name));
    cache.set(name, fn);
  }
  return fn;
}

function typeOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  return typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

const friendlyType: Record<string, string> = { object: 'mapping', array: 'list' };

/** Turns one ajv error into a sentence that says what was expected; undefined to drop noise. */
function describe(e: ErrorObject, root: unknown): { message: string; pointer: string; atKey: boolean } | undefined {
  const here = e.instancePath;
  const got = typeOfValue(valueAt(root, here));
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = (e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty
        ?? (e.params as { unevaluatedProperty?: string }).unevaluatedProperty ?? '?';
      const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties) ?? {});
      const hint = allowed.length ? ` (expected one of: ${allowed.join(', ')})` : '';
      return { message: `unknown key '${key}'${hint}`, pointer: `${here}/${key}`, atKey: true };
    }
    case 'required':
      return { message: `missing required key '${(e.params as { missingProperty: string }).missingProperty}'`, pointer: here, atKey: false };
    case 'type': {
      const want = String((e.params as { type: string | string[] }).type).split(',').map((t) => friendlyType[t] ?? t).join(' or ');
      return { message: `expected ${want}, got ${got}`, pointer: here, atKey: false };
    }
    case 'enum':
      return { message: `expected one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`, pointer: here, atKey: false };
    case 'const':
      return { message: `expected ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`, pointer: here, atKey: false };
    case 'oneOf':
    case 'anyOf':
    case 'if':
    case 'then':
    case 'else':
      return undefined; // the branch errors say more
    default: {
      const title = (e.parentSchema as { errorMessage?: string } | undefined)?.errorMessage;
      return { message: title ?? `${e.message ?? 'invalid value'}`, pointer: here, atKey: false };
    }
  }
}

/**
 * Validates a parsed YAML file against schemas/<name>.schema.json and returns every problem,
 * each located at file:line:column with its JSON pointer. An empty list means valid.
 */
export function validateYaml(yaml: YamlFile, name: SchemaName): ConfigProblem[] {
  const fn = compiledSchema(name);
  if (fn(yaml.value)) return [];
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const e of fn.errors ?? []) {
    const d = describe(e, yaml.value);
    if (!d) continue;
    const key = `${d.pointer}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(yaml.problemAt(d.pointer, d.message, d.atKey));
  }
  if (problems.length === 0) {
    // Only combinator errors: report the first one rather than nothing.
    const e = fn.errors?.[0];
    problems.push(yaml.problemAt(e?.instancePath ?? '', e?.message ?? 'does not match the schema'));
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** Validates a plain value (e.g. a report about to be written); returns ajv's messages. */
export function validateValue(value: unknown, name: SchemaName): string[] {
  const fn = compiledSchema(name);
  if (fn(value)) return [];
  return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}
