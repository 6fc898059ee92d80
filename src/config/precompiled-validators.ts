/**
 * The schema validators `npm run build` generates (write-validators.ts writes dist/config/validators.js
 * with ajv's standalone code), so that a command validates without loading ajv's compiler or compiling
 * a schema. They are used only while the schema files are those they were generated from (a digest of
 * every file under schemas/); otherwise, or before the first build, schema.ts compiles as before.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { importGenerated } from '../model/import-generated.js';

/** The schemas that get a generated validator (schema.ts's SchemaName). */
export const PRECOMPILED_SCHEMAS = ['playbook', 'tasks', 'inventory', 'report'] as const;
export type PrecompiledName = (typeof PRECOMPILED_SCHEMAS)[number];

/** schemas/ sits two levels above this file both in src/config and in dist/config. */
const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** dist/config/validators.js: the same file from src/config (tests under tsx) and from dist/config. */
export const validatorsFile = fileURLToPath(new URL('../../dist/config/validators.js', import.meta.url));

/** The schema files' paths under schemas/, sorted, step schemas included. */
function schemaFiles(): string[] {
  const inDir = (rel: string): string[] => {
    try {
      return readdirSync(`${schemasDir}${rel}`).filter((n) => n.endsWith('.schema.json')).map((n) => `${rel}${n}`);
    } catch {
      return [];
    }
  };
  return [...inDir(''), ...inDir('steps/')].sort();
}

/** A digest of every schema file's path and text: the generated validators are valid for this one only. */
export function schemasDigest(): string {
  const hash = createHash('sha256');
  for (const rel of schemaFiles()) hash.update(rel).update('\0').update(readFileSync(`${schemasDir}${rel}`)).update('\0');
  return hash.digest('hex');
}

interface GeneratedModule {
  schemasDigest: string;
  validators: Record<PrecompiledName, ValidateFunction>;
}

const generated = await importGenerated<GeneratedModule>(new URL('../../dist/config/validators.js', import.meta.url));
let current: boolean | undefined;

/** The generated validator of schemas/<name>.schema.json, or undefined when there is none for these files. */
export function precompiledValidator(name: string): ValidateFunction | undefined {
  if (!generated) return undefined;
  current ??= generated.schemasDigest === schemasDigest();
  return current ? generated.validators[name as PrecompiledName] : undefined;
}
