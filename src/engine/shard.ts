import { createHash } from 'node:crypto';
import type { Shard } from '../model/results.js';

/**
 * The shard (1-based) a host name falls in, out of `count`: the first 6 bytes of the SHA-256 of the
 * UTF-8 name, read as an unsigned big-endian integer, modulo count, plus 1. It depends on the name
 * only, so a host stays in its shard whatever the inventory's order or size. In Python:
 * `int.from_bytes(hashlib.sha256(name.encode()).digest()[:6], 'big') % count + 1`.
 */
export function shardOf(name: string, count: number): number {
  return (createHash('sha256').update(name, 'utf8').digest().readUIntBE(0, 6) % count) + 1;
}

export function inShard(name: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(name, shard.count) === shard.index;
}
