/**
 * The reference: the real OpenSSH client asked what it would do (`ssh -G`, and `ssh -v` for the
 * values it expands only when it connects), many calls at once, with HOME set to a scratch
 * directory so that nothing depends on this machine's ~/.ssh.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatJump } from '../../src/transport/ssh-config/jump.js';
import type { ResolvedHost } from '../../src/transport/ssh-config/resolve.js';
import { argvSplit } from '../../src/transport/ssh-config/lexer.js';

export const CORPUS = join(fileURLToPath(new URL('.', import.meta.url)), 'ssh-config-corpus');

/** The hosts a corpus file is compared for (its `# hosts:` line). */
export function hostsOf(file: string): string[] {
  const m = /^# hosts: (.*)$/m.exec(readFileSync(file, 'utf8'));
  return m?.[1] ? (argvSplit(m[1], false) ?? []) : [];
}

/** Copies the corpus's ~/.ssh into a scratch HOME, files 0644 (OpenSSH refuses group-writable includes). */
export function makeHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'remedy-sshg-'));
  cpSync(join(CORPUS, 'home'), home, { recursive: true });
  const fix = (p: string) => {
    const st = statSync(p);
    chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) for (const f of readdirSync(p)) fix(join(p, f));
  };
  fix(home);
  return home;
}

export interface SshRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ssh ARGS` with `env` (stdin closed), at most `limit` at a time. The client is /usr/bin/ssh
 * named `ssh` (argv[0]), so the ProxyCommand it builds for ProxyJump runs `ssh` from env's PATH.
 */
export async function runSshMany(calls: string[][], env: NodeJS.ProcessEnv, limit = 16): Promise<SshRun[]> {
  const out: SshRun[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const i = next++;
      out[i] = await new Promise<SshRun>((resolve) => {
        const child = spawn('/usr/bin/ssh', calls[i] as string[], { argv0: 'ssh', env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, calls.length) }, worker));
  return out;
}

/** `ssh -G` output as keyword → values (repeated keywords such as identityfile keep every value). */
export function parseDump(stdout: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const key = line.slice(0, sp).toLowerCase();
    m.set(key, [...(m.get(key) ?? []), line.slice(sp + 1)]);
  }
  return m;
}

/** The settings remedy uses, compared one by one. */
export const COMPARED = [
  'user', 'hostname', 'port', 'identityfile', 'identitiesonly', 'identityagent', 'userknownhostsfile',
  'globalknownhostsfile', 'stricthostkeychecking', 'proxyjump', 'proxycommand', 'connecttimeout', 'hostkeyalias',
  'checkhostip', 'serveraliveinterval', 'serveralivecountmax', 'hashknownhosts', 'passwordauthentication',
  'pubkeyauthentication', 'batchmode', 'addressfamily', 'bindaddress', 'bindinterface', 'canonicalizehostname',
  'certificatefile', 'preferredauthentications', 'proxyusefdpass', 'nohostauthenticationforlocalhost',
  'revokedhostkeys', 'knownhostscommand',
] as const;

const FLAG_DEFAULTS: Record<string, string> = {
  identitiesonly: 'no', checkhostip: 'no', hashknownhosts: 'no', passwordauthentication: 'yes', batchmode: 'no',
  proxyusefdpass: 'no', nohostauthenticationforlocalhost: 'no',
};

/** remedy's resolution printed the way `ssh -G` prints it. */
export function dumpResolved(r: ResolvedHost): Map<string, string[]> {
  const o = r.options;
  const m = new Map<string, string[]>();
  const one = (k: string, v: string | undefined) => {
    if (v !== undefined) m.set(k, [v]);
  };
  one('user', r.user);
  one('hostname', r.hostName);
  one('port', String(r.port));
  if (r.identityFiles.length > 0) m.set('identityfile', r.identityFiles.map((f) => f.path));
  for (const [k, dflt] of Object.entries(FLAG_DEFAULTS)) one(k, o.get(k)?.value ?? dflt);
  one('identityagent', r.identityAgent);
  one('userknownhostsfile', r.userKnownHostsFiles.length > 0 ? r.userKnownHostsFiles.join(' ') : 'none');
  one('globalknownhostsfile', r.globalKnownHostsFiles.length > 0 ? r.globalKnownHostsFiles.join(' ') : 'none');
  const strict = o.get('stricthostkeychecking')?.value ?? 'ask';
  one('stricthostkeychecking', { yes: 'true', true: 'true', no: 'false', false: 'false', off: 'false' }[strict] ?? strict);
  if (r.jump) one('proxyjump', formatJump(r.jump));
  else one('proxycommand', r.proxyCommand);
  one('connecttimeout', o.get('connecttimeout')?.value ?? 'none');
  one('hostkeyalias', r.hostKeyAlias);
  // Debian: BatchMode makes the default interval 300 s
  one('serveraliveinterval', o.get('serveraliveinterval')?.value ?? (o.get('batchmode')?.value === 'yes' ? '300' : '0'));
  one('serveralivecountmax', o.get('serveralivecountmax')?.value ?? '3');
  const pubkey = o.get('pubkeyauthentication')?.value ?? 'yes';
  one('pubkeyauthentication', { yes: 'true', true: 'true', no: 'false', false: 'false' }[pubkey] ?? pubkey);
  one('addressfamily', o.get('addressfamily')?.value ?? 'any');
  one('bindaddress', o.get('bindaddress')?.value);
  one('bindinterface', o.get('bindinterface')?.value);
  const canon = o.get('canonicalizehostname')?.value ?? 'no';
  one('canonicalizehostname', { yes: 'true', true: 'true', no: 'false', false: 'false' }[canon] ?? canon);
  if (o.certificateFiles.length > 0) m.set('certificatefile', o.certificateFiles.map((f) => f.path));
  one('preferredauthentications', o.get('preferredauthentications')?.value);
  for (const k of ['revokedhostkeys', 'knownhostscommand']) {
    const v = o.get(k)?.value;
    if (v !== undefined && v.toLowerCase() !== 'none') one(k, v);
  }
  return m;
}
