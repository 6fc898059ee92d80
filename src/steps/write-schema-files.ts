/**
 * Build step (npm run build, after tsc): writes the schema files generated from the step declarations
 * (schema-files.ts) into schemas/, and removes step schema files of steps that no longer exist. Writes
 * only what changed, and says which. Run as `node dist/steps/write-schema-files.js`; exports nothing.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allSteps } from './registry.js';
import { generatedSchemaFiles } from './schema-files.js';

/** schemas/ sits two levels above this file both in src/steps and in dist/steps. */
const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

const read = (rel: string): string | undefined => {
  try {
    return readFileSync(`${schemasDir}${rel}`, 'utf8');
  } catch {
    return undefined;
  }
};

const files = generatedSchemaFiles(allSteps(), read('playbook.schema.json') ?? '');
for (const [rel, text] of files) {
  if (read(rel) === text) continue;
  writeFileSync(`${schemasDir}${rel}`, text);
  console.log(`schemas/${rel}: regenerated from the step declarations`);
}
for (const name of readdirSync(`${schemasDir}steps`)) {
  if (name.endsWith('.schema.json') && !files.has(`steps/${name}`)) {
    rmSync(`${schemasDir}steps/${name}`);
    console.log(`schemas/steps/${name}: removed (no such step)`);
  }
}
