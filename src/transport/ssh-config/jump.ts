/**
 * ProxyJump as OpenSSH 9.2 reads it (readconf.c parse_jump, misc.c parse_user_host_port and
 * parse_uri): `[user@]host[:port]` or `ssh://[user@]host[:port]`, comma-separated, the last hop
 * being the one the target is reached through and the others how that hop is reached.
 */

export interface JumpHop {
  user?: string;
  host: string;
  port?: number;
}

/** The jump a host is reached through: its last hop, and the hops before it as written. */
export interface JumpSpec {
  /** `none`: the ProxyJump that switches jumping off. */
  none: boolean;
  hop: JumpHop;
  /** The hops before the last one, as a ProxyJump string (OpenSSH's jump_extra). */
  extra?: string;
}

/** a2port: 1..65535, or a service name from /etc/services; -1 when invalid, 0 for "0". */
export function toPort(s: string, services: (name: string) => number | undefined): number {
  if (/^[0-9]+$/.test(s)) {
    const n = Number(s);
    return n <= 65535 ? n : -1;
  }
  return services(s) ?? -1;
}

function urldecode(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '+') out += ' ';
    else if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else out += c;
  }
  return out;
}

/** hpdelim: the host (in brackets, or up to `:` or `/`) and what follows the delimiter. */
function splitHostPort(s: string): { host: string; rest: string | null; delim: string } | null {
  let at: number;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    at = close + 1;
  } else {
    const m = /[:/]/.exec(s);
    at = m ? m.index : s.length;
  }
  if (at === s.length) return { host: s, rest: null, delim: '' };
  const delim = s[at] as string;
  if (delim !== ':' && delim !== '/') return null;
  return { host: s.slice(0, at), rest: s.slice(at + 1), delim };
}

function cleanHostname(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** valid_domain without lowering: letters, digits, `.-_`, no `..`; a trailing dot is dropped. */
function validDomain(h: string): string | null {
  if (h === '' || !/^[A-Za-z0-9]/.test(h) || /\.\./.test(h) || /[^A-Za-z0-9._-]/.test(h)) return null;
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** One hop: an ssh:// URI or user@host:port; null when OpenSSH calls it invalid. */
export function parseHop(s: string, services: (name: string) => number | undefined): JumpHop | null {
  if (s.startsWith('ssh://')) {
    let tmp = s.slice(6);
    let user: string | undefined;
    const at = tmp.indexOf('@');
    if (at >= 0) {
      let u = tmp.slice(0, at);
      const semi = u.indexOf(';');
      if (semi >= 0) u = u.slice(0, semi);
      if (u === '') return null;
      const decoded = urldecode(u);
      if (decoded === null) return null;
      user = decoded;
      tmp = tmp.slice(at + 1);
    }
    const hp = splitHostPort(tmp);
    if (!hp || hp.host === '') return null;
    const host = validDomain(cleanHostname(hp.host));
    if (host === null) return null;
    let port: number | undefined;
    let rest = hp.rest;
    if (rest !== null && rest !== '') {
      if (hp.delim === ':') {
        const slash = rest.indexOf('/');
        const p = toPort(slash < 0 ? rest : rest.slice(0, slash), services);
        if (p <= 0) return null;
        port = p;
        rest = slash < 0 ? null : rest.slice(slash + 1);
      }
      if (rest !== null && rest !== '') return null; // a path is not allowed
    }
    return { host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
  }
  let tmp = s;
  let user: string | undefined;
  const at = tmp.lastIndexOf('@');
  if (at >= 0) {
    if (at === 0) return null;
    user = tmp.slice(0, at);
    tmp = tmp.slice(at + 1);
  }
  const hp = splitHostPort(tmp);
  if (!hp || hp.host === '') return null;
  let port: number | undefined;
  if (hp.rest !== null && hp.rest !== '') {
    const p = toPort(hp.rest, services);
    if (p <= 0) return null;
    port = p;
  }
  return { host: cleanHostname(hp.host), ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

/** ssh_valid_hostname: what ssh accepts as a host name from its command line (no shell metacharacters). */
export function validHostname(s: string): boolean {
  return !s.startsWith('-') && !/['`"$\\;&<>|(){},\s\x00-\x1f\x7f]/.test(s);
}

/** ssh_valid_ruser: what ssh accepts as a user name from its command line. */
export function validRuser(s: string): boolean {
  return !s.startsWith('-') && !/[\x00-\x1f\x7f'`";&<>|(){}]/.test(s) && !/\s-/.test(s) && !s.endsWith('\\');
}

/**
 * parse_jump (Debian 12's OpenSSH, with the 2026 backports): `none` as the whole text; otherwise the
 * `#` comment and trailing blanks are cut, every hop's syntax is checked (`strict`, for -J on a
 * command line: no shell metacharacters either), and the hops before the last become the extra
 * jump. Null when invalid.
 */
export function parseJump(text: string, services: (name: string) => number | undefined, strict = false): JumpSpec | null {
  if (text.toLowerCase() === 'none') return { none: true, hop: { host: 'none' } };
  const orig = (text.includes('#') ? text.slice(0, text.indexOf('#')) : text).replace(/\s+$/, '');
  const hops = orig.split(',');
  let last: JumpHop | null = null;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i] as string, services);
    if (!hop) return null;
    if (strict && (!validHostname(hop.host) || (hop.user !== undefined && !validRuser(hop.user)))) return null;
    if (i === hops.length - 1) last = hop;
  }
  if (!last) return null;
  const comma = orig.lastIndexOf(',');
  return { none: false, hop: last, ...(comma >= 0 ? { extra: orig.slice(0, comma) } : {}) };
}

/** How `ssh -G` prints a jump: extra hops, then user@host:port with numeric hosts in brackets. */
export function formatJump(j: JumpSpec): string {
  if (j.none) return 'none';
  const numeric = j.hop.host.includes(':') || /^[0-9.]*$/.test(j.hop.host);
  const host = numeric ? `[${j.hop.host}]` : j.hop.host;
  return `${j.extra !== undefined ? `${j.extra},` : ''}${j.hop.user !== undefined ? `${j.hop.user}@` : ''}${host}${j.hop.port !== undefined ? `:${j.hop.port}` : ''}`;
}
