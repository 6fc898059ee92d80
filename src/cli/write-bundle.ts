/**
 * Build step (npm run build, last): bundles the command (dist/cli/main.js, what it imports and the
 * packages they use) with esbuild into dist/bundle/, which package.json's bin runs. A start then reads
 * a few dozen files instead of ~430 (typebox alone is 200 modules) and links them once: `remedy check`
 * on localhost costs ~0.3 s less CPU, which is 15 ms a host on a 20-host run.
 *
 * Splitting keeps each command's modules in their own chunks (a `validate` still never loads ssh2).
 * dist/bundle/ sits two levels below the package root like dist/cli/, so the `../../schemas/` and
 * `../../dist/config/validators.js` URLs the modules build from import.meta.url stay right.
 * Left to node_modules, loaded as they are at run time:
 *   - ssh2: its wasm poly1305 and its agent find their files through __dirname, which a bundle loses;
 *   - re2js: the generated validators (dist/config/validators.js, dist/steps/arg-validators.generated.js)
 *     import it through dist/model/safe-match.js; bundling a second copy would load it twice;
 *   - what the modules load with createRequire (ajv's compiler, ajv-formats, xmlbuilder2): a call
 *     esbuild does not follow, so it stays lazy.
 * Run as `node dist/cli/write-bundle.js`; exports nothing.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outdir = `${root}dist/bundle`;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ssh2', 're2js'],
  // The CommonJS packages inside (commander, yaml, picomatch) call require() for node's modules.
  banner: { js: "import { createRequire as __remedyRequire } from 'node:module'; const require = __remedyRequire(import.meta.url);" },
  logLevel: 'warning',
});
