import type { ConfigProblem, SourceRef } from '../model/errors.js';
import type { Host } from '../model/inventory.js';

/** Where each var of a host was set (the winning definition), kept beside the plain model. */
const origins = new WeakMap<Host, { file: string; whereOf: (name: string) => SourceRef | undefined }>();

/** Remembers how to find where each var of a host was set (file:line:column, found on demand). */
export function recordOrigins(host: Host, file: string, whereOf: (name: string) => SourceRef | undefined): void {
  origins.set(host, { file, whereOf });
}

/**
 * A problem about one var of a host, located at file:line:column where the var was set when the
 * host came from an inventory; otherwise it names the host only.
 */
export function problemForVar(host: Host, name: string, message: string): ConfigProblem {
  const o = origins.get(host);
  if (!o) return { file: `host '${host.name}'`, message };
  const text = `host '${host.name}': ${message}`;
  const at = o.whereOf(name);
  return at === undefined ? { file: o.file, message: text } : { ...at, message: text };
}
