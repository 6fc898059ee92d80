import type { SerialSpec } from '../model/playbook.js';
import { UsageError } from '../model/errors.js';

/** Resolves one serial item ("30%" or 5) against the number of hosts in the play; at least 1. */
function batchSize(item: number | string, total: number): number {
  if (typeof item === 'number') return Math.max(1, Math.floor(item));
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(item);
  if (m) return Math.max(1, Math.floor((total * Number(m[1])) / 100));
  if (/^\s*\d+\s*$/.test(item)) return Math.max(1, Number(item));
  throw new UsageError(`serial: '${item}' is neither a number nor a percentage such as "30%"`);
}

/**
 * Batch sizes as Ansible computes them: each serial item in turn, the last one repeating,
 * percentages of the play's whole host count (rounded down, at least 1); 30% of 20 gives 6, 6, 6, 2.
 */
export function serialBatchSizes(total: number, serial?: SerialSpec): number[] {
  if (total === 0) return [];
  if (serial === undefined) return [total];
  const items = Array.isArray(serial) ? serial : [serial];
  if (items.length === 0) return [total];
  const sizes: number[] = [];
  let left = total;
  for (let i = 0; left > 0; i++) {
    const item = items[Math.min(i, items.length - 1)] as number | string;
    const size = Math.min(left, batchSize(item, total));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

export function splitIntoBatches<T>(items: T[], serial?: SerialSpec): T[][] {
  const batches: T[][] = [];
  let at = 0;
  for (const size of serialBatchSizes(items.length, serial)) {
    batches.push(items.slice(at, at + size));
    at += size;
  }
  return batches;
}

/**
 * Whether a batch's failures stop the play: with max_fail_percentage, when the failed share is
 * strictly greater than it (Ansible's rule); without it, only when every host of the batch failed.
 */
export function batchFailed(failed: number, total: number, maxFailPercentage?: number): boolean {
  if (total === 0 || failed === 0) return false;
  if (maxFailPercentage === undefined) return failed === total;
  return (failed * 100) / total > maxFailPercentage;
}
