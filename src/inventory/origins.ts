import type { YamlFile } from '../config/yaml-file.js';
import type { ConfigProblem } from '../model/errors.js';
import type { Host } from '../model/inventory.js';

/** Where each of a host's vars was set (the winning definition), kept beside the plain model. */
const origins = new WeakMap<Host, { yaml: YamlFile; pointerOf: (name: string) => string | undefined }>();

/** Remembers how to find where each var of a host was set (a JSON pointer into its file). */
export function recordOrigins(host: Host, yaml: YamlFile, pointerOf: (name: string) => string | undefined): void {
  origins.set(host, { yaml, pointerOf });
}

/**
 * A problem about one var of a host, located at file:line:column where the var was set when the
 * host came from an inventory file; otherwise it names the host only.
 */
export function problemForVar(host: Host, name: string, message: string): ConfigProblem {
  const o = origins.get(host);
  const pointer = o?.pointerOf(name);
  if (!o) return { file: `host '${host.name}'`, message };
  const text = `host '${host.name}': ${message}`;
  return pointer === undefined ? { file: o.yaml.file, message: text } : o.yaml.problemAt(pointer, text);
}
