import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the old generation grow to up to four times what survived its last full collection before
 * it collects again. Most of a run's garbage is what each host's connection and commands left,
 * promoted because a command outlives a few young collections: at 10,000 hosts (batches of 1,000,
 * forks 100) the default let the heap reach ~270 MB over ~80 MB live, peak RSS 340 to 540 MB. Growing
 * by at most 30% between full collections: peak RSS 233 MB (50%: 250 to 268 MB), and no more CPU
 * than the run's own variation (npm run bench -- scale). V8 reads the flag at each full collection,
 * so setting it at start takes effect. An operator's own `node --heap-growing-percent=N` wins (node
 * refuses the flag in NODE_OPTIONS).
 */
export function limitHeapGrowth(percent = 30): void {
  const given = process.execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a));
  if (!given) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
