/**
 * Authentication methods for one hop, in OpenSSH's order: agent, identity files, password.
 * Passphrases come from REMEDY_SSH_PASSPHRASE or a prompt on the TTY; no secret is ever put in argv,
 * a log line or an error message.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthenticationType, AuthHandlerMiddleware, NextAuthHandler, ParsedKey } from 'ssh2';
import type { SshSettings } from './ssh-config.js';

import { fileStamp } from './file-stamp.js';
import { withDecodedSigner } from './key-signer.js';
import { PASSPHRASE_ENV } from './passphrase-env.js';

export { PASSPHRASE_ENV };

export type PassphrasePrompt = (keyFile: string) => Promise<string | undefined>;

export interface AuthSources {
  /** Login password (ansible_password); used only when the server offers "password". */
  password?: string;
  /** Overrides SSH_AUTH_SOCK; null disables the agent. */
  agentSocket?: string | null;
  /** Asked for a passphrase when REMEDY_SSH_PASSPHRASE is not set; the default prompts on a TTY. */
  promptPassphrase?: PassphrasePrompt;
  /** Identity files parsed once for the run (the pool's); without it each connection reads them. */
  identities?: IdentityCache;
}

/**
 * Identity files read and parsed once per run while unchanged on disk: parsing a key (and asking for
 * its passphrase) per host cost 1-2 ms of CPU a connection. BatchMode hosts, which never prompt, have
 * their own entries.
 */
export class IdentityCache {
  private readonly loaded = new Map<string, { stamp: string; result: Promise<Loaded> }>();

  async load(file: string, prompt: PassphrasePrompt, batchMode: boolean): Promise<Loaded> {
    const key = `${batchMode ? 'batch' : 'prompt'}:${file}`;
    const stamp = await fileStamp(file);
    const hit = this.loaded.get(key);
    if (hit?.stamp === stamp) return hit.result;
    const result = loadIdentity(file, prompt);
    this.loaded.set(key, { stamp, result });
    return result;
  }
}

type Method =
  | { type: 'agent'; agent: string }
  | { type: 'publickey'; file: string; key: ParsedKey }
  | { type: 'password'; password: string };

/** What was tried, for error messages (file names only, never secrets). */
export interface AuthPlan {
  methods: Method[];
  describe(): string;
  /** Keys that could not be used, e.g. "~/.ssh/id_ed25519: wrong passphrase". */
  skipped: string[];
}

/** Loads the identity files and works out the methods to offer. */
export async function planAuth(settings: SshSettings, sources: AuthSources): Promise<AuthPlan> {
  const methods: Method[] = [];
  const skipped: string[] = [];
  const agent = settings.pubkeyAuthentication ? pickAgent(settings, sources) : undefined;
  if (agent) methods.push({ type: 'agent', agent });
  // BatchMode: never ask for a passphrase
  const prompt: PassphrasePrompt = settings.batchMode ? async () => undefined : (sources.promptPassphrase ?? promptOnTty);
  for (const file of settings.pubkeyAuthentication ? settings.identityFiles : []) {
    const loaded = sources.identities ? await sources.identities.load(file, prompt, settings.batchMode) : await loadIdentity(file, prompt);
    if ('key' in loaded) methods.push({ type: 'publickey', file, key: loaded.key });
    else if (loaded.problem && settings.identitiesExplicit) skipped.push(`${file}: ${loaded.problem}`);
  }
  if (sources.password !== undefined && settings.passwordAuthentication) {
    methods.push({ type: 'password', password: sources.password });
  }
  return {
    methods,
    skipped,
    describe: () => {
      const tried = methods.map((m) => (m.type === 'publickey' ? `key ${m.file}` : m.type));
      return [tried.length > 0 ? `tried ${tried.join(', ')}` : 'no usable credentials', ...skipped].join('; ');
    },
  };
}

function pickAgent(settings: SshSettings, sources: AuthSources): string | undefined {
  if (sources.agentSocket === null) return undefined;
  if (settings.identityAgent?.toLowerCase() === 'none') return undefined;
  if (settings.identitiesOnly && !settings.identityAgent) return undefined;
  const sock = settings.identityAgent === 'SSH_AUTH_SOCK' ? undefined : settings.identityAgent;
  return sock ?? sources.agentSocket ?? process.env.SSH_AUTH_SOCK ?? undefined;
}

type Loaded = { key: ParsedKey } | { problem?: string };

/** Reads one private key; encrypted keys take the passphrase from the environment or the prompt. */
export async function loadIdentity(file: string, prompt: PassphrasePrompt): Promise<Loaded> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { problem: 'not found' } : { problem: `cannot read (${code ?? 'error'})` };
  }
  let parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error && /passphrase/i.test(parsed.message)) {
    const passphrase = process.env[PASSPHRASE_ENV] ?? (await prompt(file));
    if (passphrase === undefined) return { problem: `encrypted and no passphrase (set ${PASSPHRASE_ENV})` };
    parsed = ssh2.utils.parseKey(data, passphrase);
    if (parsed instanceof Error) return { problem: 'wrong passphrase' };
  }
  if (parsed instanceof Error) return { problem: 'not a private key ssh2 can read' };
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) return { problem: 'not a private key' };
  return { key: withDecodedSigner(key) };
}

const asked = new Map<string, Promise<string | undefined>>();

/** Prompts once per key file on the controlling TTY, echo off; undefined when there is no TTY. */
export function promptOnTty(file: string): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return Promise.resolve(undefined);
  let pending = asked.get(file);
  if (!pending) {
    pending = new Promise((resolve) => {
      // The terminal stops echoing (raw mode) before the prompt shows, so nothing typed ahead is echoed.
      const muted = new Writable({ write: (_c, _e, cb) => cb() });
      const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
      process.stderr.write(`Enter passphrase for key '${file}': `);
      rl.question('', (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
    asked.set(file, pending);
  }
  return pending;
}

/** An ssh2 authHandler that offers the planned methods the server still accepts, in order. */
export function createAuthHandler(user: string, plan: AuthPlan): AuthHandlerMiddleware {
  const queue = [...plan.methods];
  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    while (queue.length > 0) {
      const m = queue.shift() as Method;
      const wanted = m.type === 'password' ? 'password' : 'publickey';
      if (methodsLeft && !methodsLeft.includes(wanted)) continue;
      if (m.type === 'agent') return next({ type: 'agent', username: user, agent: m.agent });
      if (m.type === 'publickey') return next({ type: 'publickey', username: user, key: m.key });
      return next({ type: 'password', username: user, password: m.password });
    }
    return next(false as unknown as AuthenticationType);
  };
}
