/**
 * `npm run bench`: runs every benchmark in test/bench (each file exporting `bench = { name, run }`),
 * or only those named on the command line. Benchmarks print; they never assert.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Bench { name: string; run(): Promise<void> }

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'main.ts' && !f.endsWith('-worker.ts')).sort();
let failed = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { bench?: Bench };
  const bench = mod.bench;
  if (!bench || (only.length > 0 && !only.includes(bench.name))) continue;
  console.log(`\n== ${bench.name} ==`);
  try {
    await bench.run();
  } catch (err) {
    failed++;
    console.error(`${bench.name}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
