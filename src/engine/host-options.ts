import { readVariable } from '../expr/index.js';
import { parseAnsibleBool } from '../inventory/index.js';
import type { HostOptions } from '../steps/facts-access.js';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The typed remedy_* settings of a host as a task sees them (inventory, play, task or -e). */
export function readHostOptions(vars: object): HostOptions {
  const ignore = readVariable(vars, 'remedy_ignore_paths');
  return {
    coreExtra: strings(readVariable(vars, 'remedy_core_extra')),
    ...(Array.isArray(ignore) ? { ignorePaths: strings(ignore) } : {}),
    allowLocalReboot: parseAnsibleBool(readVariable(vars, 'remedy_allow_local_reboot')) === true,
  };
}
