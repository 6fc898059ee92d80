/**
 * Where a lab keeps its state: /run/remedy-lab/<name>/ (never inside the repo, since hosts overlay /).
 *   addresses/127.0.1.N     claim files, created with O_EXCL: the address belongs to the lab named inside
 *   <name>/lab.json         hosts, flavours, extra pids (listeners), for findLab and down
 *   <name>/inventory.yml, known_hosts, id_ed25519(.pub)
 *   <name>/fs/              one tmpfs per lab: layers/{common,sysv,rhel} and hosts/<h>/{upper,work}
 *   <name>/hosts/<h>/       root (the merged overlay), supervisor.pid, nspawn.pid, console.log, flags
 */
import { join } from 'node:path';

export const LAB_RUN_DIR = process.env.REMEDY_LAB_RUN_DIR ?? '/run/remedy-lab';
export const ADDRESS_PREFIX = '127.0.1.';
export const FIRST_OCTET = 2;
export const LAST_OCTET = 254;

export function labDir(name: string): string {
  return join(LAB_RUN_DIR, name);
}
export function fsDir(name: string): string {
  return join(labDir(name), 'fs');
}
export function layerDir(name: string, layer: string): string {
  return join(fsDir(name), 'layers', layer);
}
export function hostStateDir(lab: string, host: string): string {
  return join(labDir(lab), 'hosts', host);
}
export function hostRoot(lab: string, host: string): string {
  return join(hostStateDir(lab, host), 'root');
}
export function addressesDir(): string {
  return join(LAB_RUN_DIR, 'addresses');
}
/** The machine name nspawn knows the host by (unique across labs: it names /run/systemd/nspawn/propagate/…). */
export function machineName(lab: string, host: string): string {
  return `rl-${lab}-${host}`;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
export function checkLabName(name: string): void {
  if (!NAME.test(name)) throw new Error(`lab: bad lab name "${name}" (lowercase letters, digits, dashes; at most 31)`);
}
