/**
 * The validators of the steps' strict argument schemas. `npm run build` writes them as ajv standalone
 * code (write-arg-validators.ts → dist/steps/arg-validators.generated.js), each with a digest of the
 * schema it was generated from; a step whose schema is not that one any more (or a step the build did
 * not see) is compiled here on first use, and only then is ajv's compiler loaded.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type { TSchema } from '@sinclair/typebox';
import { strictSchema, type JsonSchema } from './args.js';
import { SAFE_MATCH_FORMATS } from '../model/safe-match.js';
import { importGenerated } from '../model/import-generated.js';

const require = createRequire(import.meta.url);

/** Where the build writes the generated validators (the same path from src/steps under tsx and from dist/steps). */
export const generatedArgValidators = fileURLToPath(new URL('../../dist/steps/arg-validators.generated.js', import.meta.url));

/**
 * The first lines of a generated standalone module under dist/<folder>/: the formats its code calls,
 * ajv-formats' full set and remedy's own, as { type, validate } definitions like the compilers add them.
 */
export const STANDALONE_PRELUDE = [
  "import { createRequire } from 'node:module';",
  'const require = createRequire(import.meta.url);',
  "import { fullFormats } from 'ajv-formats/dist/formats.js';",
  "import { SAFE_MATCH_FORMATS } from '../model/safe-match.js';",
  "const own = Object.entries(SAFE_MATCH_FORMATS).map(([name, validate]) => [name, { type: 'string', validate }]);",
  'const formats = { ...fullFormats, ...Object.fromEntries(own) };',
].join('\n');

/** The compiler of the argument schemas: every error (allErrors), with its schema (verbose, for errorMessage). */
export function createArgsAjv(extra: Pick<Options, 'code'> = {}): Ajv2020 {
  const { Ajv2020: AjvClass } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as (ajv: Ajv2020) => Ajv2020;
  const ajv = addFormats(new AjvClass({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true, ...extra }));
  for (const [name, validate] of Object.entries(SAFE_MATCH_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

/** A digest of a strict schema: a generated validator is used only for the schema it was generated from. */
export function argsSchemaDigest(schema: JsonSchema): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

interface Generated { digests: Record<string, string>; validators: Record<string, ValidateFunction> }

const generated = await importGenerated<Generated>(new URL('../../dist/steps/arg-validators.generated.js', import.meta.url));

export interface ArgsValidator { schema: JsonSchema; validate: ValidateFunction; generated: boolean }

const validators = new WeakMap<TSchema, ArgsValidator>();
let ajv: Ajv2020 | undefined;

/** The validator of a step's arguments: the generated one when it matches the schema, else compiled once. */
export function argsValidator(name: string, args: TSchema): ArgsValidator {
  let v = validators.get(args);
  if (!v) {
    const schema = strictSchema(args);
    const pre = generated?.validators[name];
    if (pre && generated?.digests[name] === argsSchemaDigest(schema)) {
      v = { schema, validate: pre, generated: true };
    } else {
      ajv ??= createArgsAjv();
      v = { schema, validate: ajv.compile(schema), generated: false };
    }
    validators.set(args, v);
  }
  return v;
}
