import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type { ConfigProblem } from '../model/errors.js';
import type { YamlFile } from './yaml-file.js';
import { suggestName } from './suggest.js';
import { SAFE_MATCH_FORMATS } from '../model/safe-match.js';
import { precompiledValidator } from './precompiled-validators.js';

export type SchemaName = 'playbook' | 'tasks' | 'inventory' | 'report';

/** schemas/ sits two levels above this file both in src/config and in dist/config. */
export const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** ajv itself (CommonJS) loads only when a validator has to be compiled here rather than at build time. */
const require = createRequire(import.meta.url);
const cache = new Map<SchemaName, ValidateFunction>();

/**
 * Where ajv believes the schemas live. The files carry relative $ids (their own file names), so
 * editors and other validators resolve their relative $refs ("steps/command.schema.json") against
 * the files' real location; ajv gets the same layout under this base.
 */
export const schemaBaseUri = 'https://remedy.invalid/schemas/';

export function loadSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(`${schemasDir}${name}.schema.json`, 'utf8')) as Record<string, unknown>;
}

/** The step argument schemas, schemas/steps/<step>.schema.json, as paths relative to schemas/. */
export function stepSchemaFiles(): string[] {
  let names: string[];
  try {
    names = readdirSync(`${schemasDir}steps`);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.schema.json')).sort().map((n) => `steps/${n}`);
}

/** Reads schemas/<relative path> with its $id made absolute under schemaBaseUri. */
export function loadSchemaFile(relative: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(`${schemasDir}${relative}`, 'utf8')) as Record<string, unknown>;
  return { ...schema, $id: `${schemaBaseUri}${relative}` };
}

/** A fresh Ajv with every step schema added, so that relative refs from any schema resolve. */
export function createAjv(extra: Pick<Options, 'code'> = {}): Ajv2020 {
  const { Ajv2020: AjvClass } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as (ajv: Ajv2020) => Ajv2020;
  const ajv = new AjvClass({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true, ...extra });
  addFormats(ajv);
  for (const [name, validate] of Object.entries(SAFE_MATCH_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  for (const rel of stepSchemaFiles()) ajv.addSchema(loadSchemaFile(rel));
  return ajv;
}

/**
 * The validator of schemas/<name>.schema.json: the one `npm run build` generated (write-validators.ts)
 * when it was built from the schema files as they are now, else compiled here once.
 */
export function compiledSchema(name: SchemaName): ValidateFunction {
  let fn = cache.get(name) ?? precompiledValidator(name);
  if (!fn) {
    const ajv = createAjv();
    // A task file's items are the playbook's tasks.
    if (name === 'tasks') ajv.addSchema(loadSchemaFile('playbook.schema.json'));
    fn = ajv.compile(loadSchemaFile(`${name}.schema.json`));
    cache.set(name, fn);
  }
  return fn;
}

/** The keys a task may have, read from schemas/playbook.schema.json (so a new step needs no code here). */
export interface PlaybookVocabulary {
  /** Step type keys, in schema order. */
  steps: string[];
  /** Task keywords (name, when, register, …). */
  taskKeywords: string[];
  /** Keywords only handlers may have (listen). */
  handlerOnlyKeywords: string[];
}

let vocabulary: PlaybookVocabulary | undefined;

export function playbookVocabulary(): PlaybookVocabulary {
  if (vocabulary) return vocabulary;
  type Defs = Record<string, { properties?: Record<string, unknown>; allOf?: Array<{ properties?: Record<string, unknown> }> }>;
  const defs = (loadSchema('playbook').$defs ?? {}) as Defs;
  const keys = (o: { properties?: Record<string, unknown> } | undefined) => Object.keys(o?.properties ?? {});
  const handlerOnly = (defs.handler?.allOf ?? []).flatMap((s) => keys(s));
  vocabulary = { steps: keys(defs.steps), taskKeywords: keys(defs.taskKeywords), handlerOnlyKeywords: handlerOnly };
  return vocabulary;
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

interface Described { message: string; pointer: string; atKey: boolean; types?: string[] }

function errorMessageOf(schema: unknown): string | undefined {
  const m = (schema as { errorMessage?: unknown } | undefined)?.errorMessage;
  return typeof m === 'string' ? m : undefined;
}

/** Turns one ajv error into a sentence that says what was expected; undefined to drop noise. */
function describe(e: ErrorObject, root: unknown): Described | undefined {
  const here = e.instancePath;
  const got = typeOfValue(valueAt(root, here));
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    // An error inside propertyNames: the KEY is wrong, not the value.
    const why = errorMessageOf(e.parentSchema) ?? e.message ?? 'invalid name';
    return { message: `invalid key '${propertyName}': ${why}`, pointer: `${here}/${pathSegment(propertyName)}`, atKey: true };
  }
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = (e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty
        ?? (e.params as { unevaluatedProperty?: string }).unevaluatedProperty ?? '?';
      const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties) ?? {});
      const guess = suggestName(key, allowed);
      const hint = allowed.length ? ` (${guess ? `did you mean '${guess}'? ` : ''}expected one of: ${allowed.join(', ')})` : '';
      return { message: `unknown key '${key}'${hint}`, pointer: `${here}/${pathSegment(key)}`, atKey: true };
    }
    case 'required':
      return { message: `missing required key '${(e.params as { missingProperty: string }).missingProperty}'`, pointer: here, atKey: false };
    case 'type': {
      const types = String((e.params as { type: string | string[] }).type).split(',').map((t) => friendlyType[t] ?? t);
      const v = valueAt(root, here);
      return { message: `expected ${joinOr(types)}, got ${got}${boolHint(types, v)}`, pointer: here, atKey: false, types };
    }
    case 'enum':
      return { message: `expected one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`, pointer: here, atKey: false };
    case 'const':
      return { message: `expected ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`, pointer: here, atKey: false };
    case 'propertyNames':
    case 'oneOf':
    case 'anyOf':
    case 'if':
    case 'then':
    case 'else':
      return undefined; // the inner or branch errors say more
    default:
      return { message: errorMessageOf(e.parentSchema) ?? `${e.message ?? 'invalid value'}`, pointer: here, atKey: false };
  }
}

/**
 * Why a string where a boolean belongs is one: YAML (as Ansible reads it, 1.1) makes yes/no,
 * true/false and on/off booleans only unquoted and in three spellings each; y/n stay strings.
 */
function boolHint(types: string[], v: unknown): string {
  if (!types.includes('boolean') || typeof v !== 'string') return '';
  const word = v.trim();
  const truthy = /^(?:yes|on|y|true)$/i.test(word);
  if (!truthy && !/^(?:no|off|n|false)$/i.test(word)) return '';
  const write = truthy ? 'true' : 'false';
  if (/^(?:yes|no|on|off|true|false)$/.test(word.toLowerCase()) && /^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+)$/.test(word) && word === v) {
    return ` ('${v}' is a boolean only unquoted: remove the quotes, or write ${write})`;
  }
  return ` ('${v}' is a string: YAML booleans are yes/no, true/false, on/off; write ${write})`;
}

function pathSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function joinOr(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/**
 * Type errors at one place come from the branches of a union or oneOf: merge them into one
 * "expected A, B or C" problem, and drop them entirely when some branch of the right type
 * reported something more precise at or below that place.
 */
function mergeTypeErrors(list: Described[]): Described[] {
  const precise = list.filter((d) => !d.types);
  const byPointer = new Map<string, Described>();
  for (const d of list) {
    if (!d.types) continue;
    if (precise.some((p) => p.pointer === d.pointer || p.pointer.startsWith(`${d.pointer}/`))) continue;
    const prev = byPointer.get(d.pointer);
    if (!prev) {
      byPointer.set(d.pointer, d);
    } else {
      const types = [...(prev.types ?? []), ...d.types];
      const got = prev.message.slice(prev.message.lastIndexOf(', got ') + 6);
      byPointer.set(d.pointer, { ...prev, types, message: `expected ${joinOr(types)}, got ${got}` });
    }
  }
  return [...precise, ...byPointer.values()];
}

/**
 * A oneOf/anyOf whose schema has an errorMessage says it better than its branches: keep that
 * message and drop the errors of the branches below it.
 */
function withCombinatorMessages(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => (e.keyword === 'oneOf' || e.keyword === 'anyOf') && errorMessageOf(e.parentSchema) !== undefined);
  if (combinators.length === 0) return errors;
  const inBranch = (e: ErrorObject) => combinators.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`) && e.instancePath.startsWith(c.instancePath));
  return errors.filter((e) => !inBranch(e)).map((e) => (combinators.includes(e) ? { ...e, keyword: 'errorMessage' } : e));
}

export interface ValidateOptions {
  /** Ajv errors to leave out (the caller reports them its own way). */
  skip?: (error: ErrorObject) => boolean;
}

/**
 * Validates a parsed YAML file against schemas/<name>.schema.json and returns every problem,
 * each located at file:line:column with its JSON pointer. An empty list means valid.
 */
export function validateYaml(yaml: YamlFile, name: SchemaName, options: ValidateOptions = {}): ConfigProblem[] {
  const fn = compiledSchema(name);
  if (fn(yaml.value)) return [];
  return describeErrors(yaml, (fn.errors ?? []).filter((e) => !options.skip?.(e)));
}

/** Turns ajv errors (from an Ajv made with verbose: true) into located, readable problems. */
export function describeErrors(yaml: YamlFile, errors: ErrorObject[]): ConfigProblem[] {
  if (errors.length === 0) return [];
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  const described = mergeTypeErrors(withCombinatorMessages(errors).map((e) => describe(e, yaml.value)).filter((d): d is Described => d !== undefined));
  for (const d of described) {
    const key = `${d.pointer}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(yaml.problemAt(d.pointer, d.message, d.atKey));
  }
  if (problems.length === 0) {
    // Only combinator errors: report the first one rather than nothing.
    const e = errors[0];
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
