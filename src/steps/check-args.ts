/**
 * The engine's check of a step's rendered arguments, before the step runs: coerced (coerce-args.ts),
 * then validated by ajv against the step's strict schema, compiled once per step on first use. A bad
 * argument becomes a reason that names the step and the argument, e.g.
 * "restart_services: services[1]: a service name may only hold letters, digits and @ . _ : -, got 'a;b'".
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { strictSchema, type JsonSchema } from './args.js';
import { coerceToSchema } from './coerce-args.js';
import { SAFE_MATCH_FORMATS } from '../model/safe-match.js';

export type ArgsCheck = { ok: true; args: unknown } | { ok: false; reason: string };

interface Compiled { schema: JsonSchema; validate: ValidateFunction }

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<TSchema, Compiled>();

function compile(args: TSchema): Compiled {
  let c = compiled.get(args);
  if (!c) {
    if (!ajv) {
      ajv = addFormats(new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true }));
      for (const [name, validate] of Object.entries(SAFE_MATCH_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
    }
    const schema = strictSchema(args);
    c = { schema, validate: ajv.compile(schema) };
    compiled.set(args, c);
  }
  return c;
}

/** The rendered arguments, coerced, when they satisfy the step's strict schema; else why not. */
export function checkArgs(step: Pick<StepType<unknown>, 'name' | 'args'>, rendered: unknown): ArgsCheck {
  const { schema, validate } = compile(step.args);
  const args = coerceToSchema(schema, rendered);
  if (validate(args)) return { ok: true, args };
  const why = describeArgErrors(validate.errors ?? [], args).join('; ');
  return { ok: false, reason: why.startsWith(`${step.name} `) ? why : `${step.name}: ${why}` };
}

function errorMessageOf(schema: unknown): string | undefined {
  const m = (schema as { errorMessage?: unknown } | undefined)?.errorMessage;
  return typeof m === 'string' ? m : undefined;
}

const combinators = ['anyOf', 'oneOf'];
/** Keywords whose inner errors say more (propertyNames: the key's own error). */
const wrappers = [...combinators, 'propertyNames', 'if', 'then', 'else'];
const noValue = ['required', 'additionalProperties'];

/** Keeps the errors that say most: a combinator's own message over its branches', a branch's detail over its siblings' type errors. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const said = errors.filter((e) => combinators.includes(e.keyword) && errorMessageOf(e.parentSchema) !== undefined);
  const inBranch = (e: ErrorObject): boolean => said.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`));
  const kept = errors.filter((e) => !inBranch(e) && (said.includes(e) || !wrappers.includes(e.keyword)));
  const below = (e: ErrorObject, o: ErrorObject): boolean => o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`);
  return kept.filter((e) => e.keyword !== 'type' || !kept.some((o) => o.keyword !== 'type' && below(e, o)));
}

function messageOf(e: ErrorObject, types: string[]): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `missing required key '${String(params.missingProperty)}'`;
  if (e.keyword === 'additionalProperties') return `unknown key '${String(params.additionalProperty)}'`;
  const own = errorMessageOf(e.parentSchema);
  if (own !== undefined) return own;
  if (e.keyword === 'type') return `expected ${[...new Set(types)].map((t) => ({ object: 'mapping', array: 'list' })[t] ?? t).join(' or ')}`;
  if (e.keyword === 'enum') return `expected one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? 'invalid value';
}

function segments(pointer: string): string[] {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pathOf(segs: string[]): string {
  return segs.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function valueAt(root: unknown, segs: string[]): unknown {
  let cur = root;
  for (const s of segs) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
  return cur;
}

function show(v: unknown): string {
  const text = typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** One sentence per bad argument: where (services[1]), what it must be, and what it was. */
export function describeArgErrors(errors: ErrorObject[], args: unknown): string[] {
  const kept = relevant(errors);
  const out: string[] = [];
  for (const e of kept) {
    const sameType = kept.filter((o) => o.keyword === 'type' && o.instancePath === e.instancePath);
    if (e.keyword === 'type' && sameType[0] !== e) continue;
    const types = sameType.flatMap((o) => String((o.params as { type: unknown }).type).split(','));
    const key = (e as ErrorObject & { propertyName?: string }).propertyName;
    const message = key === undefined ? messageOf(e, types) : `invalid key '${key}': ${messageOf(e, types)}`;
    const segs = segments(e.instancePath);
    const last = segs[segs.length - 1];
    const where = last !== undefined && message.startsWith(`${last} `)
      ? `${pathOf(segs.slice(0, -1))}${segs.length > 1 ? '.' : ''}${message}`
      : `${segs.length ? `${pathOf(segs)}: ` : ''}${message}`;
    const value = valueAt(args, segs);
    const scalar = value === null || typeof value !== 'object' || Array.isArray(value);
    const text = noValue.includes(e.keyword) || key !== undefined || !scalar || value === undefined ? where : `${where}, got ${show(value)}`;
    if (!out.includes(text)) out.push(text);
  }
  return out.length ? out : ['the arguments do not match the schema'];
}
