/**
 * Expansions OpenSSH applies to config values (misc.c): `%x` tokens, `${VAR}` environment variables,
 * `~` and `~user` home directories, and the %C connection hash.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

/** Why an expansion failed, in OpenSSH's words. */
export class ExpandError extends Error {}

/**
 * percent_expand / percent_dollar_expand: `%%` is `%`, `%x` the token's value (an unknown token is an
 * error), and with `dollar`, `${VAR}` is the environment variable (unset is an error).
 */
export function expandValue(s: string, tokens: Record<string, string> | null, env: NodeJS.ProcessEnv | null): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (env && c === '$' && s[i + 1] === '{') {
      const close = s.indexOf('}', i + 2);
      if (close < 0) throw new ExpandError(`environment variable '${s.slice(i + 2)}' missing closing '}'`);
      const name = s.slice(i + 2, close);
      if (name === '') throw new ExpandError('zero-length environment variable');
      const value = env[name];
      if (value === undefined) throw new ExpandError(`env var \${${name}} has no value`);
      out += value;
      i = close;
      continue;
    }
    if (c !== '%' || !tokens) {
      out += c;
      continue;
    }
    const t = s[++i];
    if (t === '%') out += '%';
    else if (t === undefined) throw new ExpandError(`invalid format (a lone % ends "${s}")`);
    else if (tokens[t] !== undefined) out += tokens[t];
    else throw new ExpandError(`unknown key %${t} in "${s}"`);
  }
  return out;
}

/** Checks `${...}` syntax only (what OpenSSH checks when it reads IdentityAgent); the message or null. */
export function checkDollarSyntax(s: string): string | null {
  for (let i = s.indexOf('${'); i >= 0; i = s.indexOf('${', i + 2)) {
    const close = s.indexOf('}', i + 2);
    if (close < 0 || close === i + 2) return `Invalid environment expansion ${s}.`;
  }
  return null;
}

/** Home directories of other users (~user), from the system's user database. */
function homeOf(user: string): string {
  const r = spawnSync('getent', ['passwd', user], { encoding: 'utf8' });
  const home = r.status === 0 ? r.stdout.split('\n')[0]?.split(':')[5] : undefined;
  if (home === undefined) throw new ExpandError(`No such user ${user}`);
  return home;
}

/** tilde_expand: `~`, `~/path` (the local user's home from the user database) and `~user/path`. */
export function expandTilde(p: string, home: string): string {
  if (!p.startsWith('~')) return p;
  const body = p.slice(1);
  let dir = home;
  let path: string;
  if (body === '' || body.startsWith('/')) {
    path = body.replace(/^\/+/, '');
  } else {
    const slash = body.indexOf('/');
    dir = homeOf(slash < 0 ? body : body.slice(0, slash));
    path = slash < 0 ? '' : body.slice(slash + 1).replace(/^\/+/, '');
  }
  return `${dir}${dir.endsWith('/') ? '' : '/'}${path}`;
}

/** %C: the SHA-1 of local host name, remote host name, port and remote user, in hex. */
export function connectionHash(localHost: string, host: string, port: string, user: string): string {
  return createHash('sha1').update(localHost + host + port + user).digest('hex');
}

/** What the tokens are made from for one connection. */
export interface TokenSource {
  /** The remote host name after HostName (%h). */
  host: string;
  /** The name given on the command line (%n). */
  hostArg: string;
  port: number;
  user: string;
  hostKeyAlias?: string | undefined;
  local: LocalIdentity;
}

/** The local side: user, uid, home (from the user database), host name. */
export interface LocalIdentity {
  user: string;
  uid: number;
  home: string;
  hostName: string;
}

/** The token set of CertificateFile, IdentityAgent, IdentityFile, UserKnownHostsFile, Match exec… */
export function defaultTokens(t: TokenSource): Record<string, string> {
  const port = String(t.port);
  const short = t.local.hostName.split('.')[0] ?? t.local.hostName;
  return {
    C: connectionHash(t.local.hostName, t.host, port, t.user),
    L: short,
    i: String(t.local.uid),
    k: t.hostKeyAlias ?? t.hostArg,
    l: t.local.hostName,
    n: t.hostArg,
    p: port,
    d: t.local.home,
    h: t.host,
    r: t.user,
    u: t.local.user,
  };
}

/** The tokens of ProxyCommand (and of the command ProxyJump builds): %h %k %n %p %r. */
export function proxyTokens(t: TokenSource): Record<string, string> {
  return { h: t.host, k: t.hostKeyAlias ?? t.hostArg, n: t.hostArg, p: String(t.port), r: t.user };
}
