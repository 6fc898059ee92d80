/**
 * Property-based suites (fast-check) run in `npm test` with a fixed seed and a bounded number of runs;
 * REMEDY_FUZZ_RUNS=N runs N cases each (and REMEDY_FUZZ_SEED another seed) for a longer search.
 * Every failure they found is kept as an explicit case next to its property.
 */
import fc from 'fast-check';

export const RUNS = Number(process.env.REMEDY_FUZZ_RUNS ?? 150);
export const SEED = Number(process.env.REMEDY_FUZZ_SEED ?? 20261130);

export function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>): void {
  fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
}

/** Runs fn; returns 'ok', or the error's class name when it is one of the allowed ones; rethrows anything else. */
export function outcome(fn: () => unknown, allowed: Array<new (...args: never[]) => Error>): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (allowed.some((cls) => err instanceof cls)) return (err as Error).constructor.name;
    throw err;
  }
}
