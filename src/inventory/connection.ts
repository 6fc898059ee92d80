import { ConfigError } from '../model/errors.js';
import type { ConnectionSpec, Host } from '../model/inventory.js';
import type { Vars } from '../model/playbook.js';
import { problemForVar } from './origins.js';

/**
 * Each setting and the vars Ansible reads it from. When several are set, the last one listed
 * wins, as in Ansible's plugin configuration (ansible_ssh_pass over ansible_password).
 */
const settings = {
  address: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  connection: ['ansible_connection'],
  privateKeyFile: ['ansible_private_key_file', 'ansible_ssh_private_key_file'],
  password: ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password'],
  become: ['ansible_become'],
  becomeUser: ['ansible_become_user'],
  becomeMethod: ['ansible_become_method'],
  becomePassword: ['ansible_become_password', 'ansible_become_pass'],
  ansibleHostKeyChecking: ['ansible_host_key_checking', 'ansible_ssh_host_key_checking'],
  hostKeyChecking: ['remedy_host_key_checking'],
  knownHostsFile: ['remedy_known_hosts_file'],
  connectTimeout: ['ansible_timeout', 'ansible_ssh_timeout'],
} as const;

type Setting = keyof typeof settings;
const consumed = new Set<string>(Object.values(settings).flat());

/** Vars that hold connection secrets: read into the connection settings only, never into templates or output. */
export const SECRET_VARS: ReadonlySet<string> = new Set([...settings.password, ...settings.becomePassword]);

/** The vars without the connection secrets (what templates may see). */
export function withoutSecrets(vars: Vars): Vars {
  if (!Object.keys(vars).some((k) => SECRET_VARS.has(k))) return vars;
  return Object.fromEntries(Object.entries(vars).filter(([k]) => !SECRET_VARS.has(k)));
}

/** The values of connection secrets set in these vars (for masking), whatever their type. */
export function secretValues(vars: Vars): string[] {
  return [...SECRET_VARS].map((k) => vars[k]).filter((v) => v !== undefined && v !== null && v !== '').map(String);
}

const sshNames = new Set(['ssh', 'paramiko', 'paramiko_ssh', 'smart']);

/** Ansible's boolean(): yes/no, true/false, on/off, 1/0, y/n, t/f in any case. */
export function parseAnsibleBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (['yes', 'on', '1', 'true', 'y', 't'].includes(s)) return true;
  if (['no', 'off', '0', 'false', 'n', 'f'].includes(s)) return false;
  return undefined;
}

/**
 * Builds how to reach a host from its ansible_* and remedy_* vars; ConfigError (file:line:column) on bad
 * values. Connection settings given with -e (extraVars) win over the inventory's, as in Ansible.
 */
export function connectionFor(host: Host, extraVars: Vars = {}): ConnectionSpec {
  const fromExtra = Object.keys(extraVars).filter((k) => consumed.has(k));
  const vars = fromExtra.length ? { ...host.vars, ...Object.fromEntries(fromExtra.map((k) => [k, extraVars[k]])) } : host.vars;
  /** The winning var of a setting: its name and value, or undefined when none is set. */
  const pick = (s: Setting): { name: string; value: unknown } | undefined => {
    let found: { name: string; value: unknown } | undefined;
    for (const name of settings[s]) {
      const value = vars[name];
      if (value !== undefined && value !== null) found = { name, value };
    }
    return found;
  };
  const fail = (name: string, message: string): never => {
    const got = vars[name];
    const template = typeof got === 'string' && got.includes('{{') ? ' (templates are not evaluated in connection vars)' : '';
    // A secret's value is never repeated, not even a wrongly typed one.
    const shown = SECRET_VARS.has(name) ? `a ${got === null ? 'null' : Array.isArray(got) ? 'list' : typeof got} (value not shown)` : JSON.stringify(got);
    const text = `${name} ${message}, got ${shown}${template}`;
    if (fromExtra.includes(name)) throw new ConfigError({ file: `-e ${name}`, message: `host '${host.name}': ${text}` });
    throw new ConfigError(problemForVar(host, name, text));
  };
  const text = (s: Setting): string | undefined => {
    const p = pick(s);
    if (!p) return undefined;
    if ((typeof p.value !== 'string' && typeof p.value !== 'number') || String(p.value).trim() === '') return fail(p.name, 'must be a non-empty string');
    return String(p.value);
  };
  const number = (s: Setting, what: string, ok: (n: number) => boolean): number | undefined => {
    const p = pick(s);
    if (!p) return undefined;
    const n = typeof p.value === 'string' && /^\s*[0-9]+(\.[0-9]+)?\s*$/.test(p.value) ? Number(p.value) : p.value;
    if (typeof n !== 'number' || !ok(n)) return fail(p.name, `must be ${what}`);
    return n;
  };
  const bool = (s: Setting): boolean | undefined => {
    const p = pick(s);
    if (!p) return undefined;
    const b = parseAnsibleBool(p.value);
    if (b === undefined) return fail(p.name, 'must be a boolean (yes/no, true/false)');
    return b;
  };

  const spec: ConnectionSpec = { host: host.name, kind: kindOf(pick('connection'), fail), address: text('address') ?? host.name, become: false, extra: {} };
  const port = number('port', 'a port number from 1 to 65535', (n) => Number.isInteger(n) && n >= 1 && n <= 65535);
  if (port !== undefined) spec.port = port;
  const user = text('user');
  if (user !== undefined) spec.user = user;
  const key = text('privateKeyFile');
  if (key !== undefined) spec.privateKeyFile = key;
  const password = text('password');
  if (password !== undefined) spec.password = password;

  spec.become = bool('become') ?? false;
  const becomeUser = text('becomeUser');
  if (becomeUser !== undefined) spec.becomeUser = becomeUser;
  const method = pick('becomeMethod');
  if (method) {
    if (method.value !== 'sudo' && method.value !== 'ansible.builtin.sudo') fail(method.name, "is not supported: remedy becomes with 'sudo' only");
    spec.becomeMethod = 'sudo';
  } else if (spec.become) spec.becomeMethod = 'sudo';
  const becomePassword = text('becomePassword');
  if (becomePassword !== undefined) spec.becomePassword = becomePassword;

  const checking = hostKeyChecking(pick('hostKeyChecking'), bool('ansibleHostKeyChecking'), fail);
  if (checking !== undefined) spec.hostKeyChecking = checking;
  const knownHosts = text('knownHostsFile');
  if (knownHosts !== undefined) spec.knownHostsFile = knownHosts;
  const timeout = number('connectTimeout', 'a number of seconds greater than 0', (n) => Number.isFinite(n) && n > 0);
  if (timeout !== undefined) spec.connectTimeout = timeout;

  spec.extra = otherSettings(vars);
  return spec;
}

function kindOf(p: { name: string; value: unknown } | undefined, fail: (name: string, message: string) => never): 'ssh' | 'local' {
  if (!p) return 'ssh';
  const v = typeof p.value === 'string' ? p.value.replace(/^ansible\.builtin\./, '') : p.value;
  if (v === 'local') return 'local';
  if (typeof v === 'string' && sshNames.has(v)) return 'ssh';
  return fail(p.name, "is not supported: expected 'ssh' (or 'paramiko', 'smart', which mean ssh) or 'local'");
}

/** remedy_host_key_checking (yes | accept-new | no, or a boolean) wins over Ansible's boolean. */
function hostKeyChecking(
  own: { name: string; value: unknown } | undefined,
  ansible: boolean | undefined,
  fail: (name: string, message: string) => never,
): ConnectionSpec['hostKeyChecking'] {
  if (own) {
    if (own.value === 'accept-new') return 'accept-new';
    const b = parseAnsibleBool(own.value);
    if (b === undefined) return fail(own.name, "must be 'yes', 'accept-new' or 'no'");
    return b ? 'yes' : 'no';
  }
  if (ansible === undefined) return undefined;
  return ansible ? 'yes' : 'no';
}

/** The ansible_* and remedy_* vars not read into a typed field, for the transport (ssh args…). */
function otherSettings(vars: Vars): Vars {
  const extra: Vars = {};
  for (const [k, v] of Object.entries(vars)) {
    if ((k.startsWith('ansible_') || k.startsWith('remedy_')) && !consumed.has(k)) extra[k] = v;
  }
  return extra;
}
