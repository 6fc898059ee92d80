/**
 * How ssh treats a host name that is an address: it is not lowercased, and it is rewritten in its
 * canonical numeric form (getaddrinfo with AI_NUMERICHOST, then getnameinfo), so `127.1` becomes
 * `127.0.0.1` and `0:0::1` becomes `::1` before known_hosts is searched.
 */

/** is_addr_fast: a `%` or `:`, or only digits and dots. */
export function looksLikeAddress(host: string): boolean {
  return host.includes('%') || host.includes(':') || /^[0-9.]*$/.test(host);
}

/** inet_aton: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the four bytes or null. */
function parseIpv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = parseInt(p, 10);
    else return null;
    nums.push(n);
  }
  const last = nums.pop() as number;
  if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return null;
  const bytes = [...nums];
  for (let i = 4 - nums.length - 1; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes;
}

/** inet_pton(AF_INET6): eight 16-bit words, or null. */
function parseIpv6(s: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const words = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (i === groups.length - 1 && g.includes('.')) {
        if (!/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(g)) return null;
        const b = g.split('.').map(Number);
        if (b.some((x) => x > 255)) return null;
        out.push(((b[0] as number) << 8) | (b[1] as number), ((b[2] as number) << 8) | (b[3] as number));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return null;
    }
    return out;
  };
  const head = words(halves[0] as string);
  const tail = halves.length === 2 ? words(halves[1] as string) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  if (head.length + tail.length > 7) return null;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** inet_ntop(AF_INET6) as glibc writes it. */
function formatIpv6(w: number[]): string {
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      cur = cur.base < 0 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = { ...cur };
    } else cur = { base: -1, len: 0 };
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base >= 0 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && w[5] === 0xffff))) {
      out += `${(w[6] as number) >> 8}.${(w[6] as number) & 255}.${(w[7] as number) >> 8}.${(w[7] as number) & 255}`;
      break;
    }
    out += (w[i] as number).toString(16);
  }
  if (best.base >= 0 && best.base + best.len === 8) out += ':';
  return out;
}

/** The canonical form of a numeric address, or null when the name is not one OpenSSH can parse. */
export function canonicalAddress(host: string): string | null {
  const v4 = parseIpv4(host);
  if (v4) return v4.join('.');
  const pct = host.indexOf('%');
  const v6 = parseIpv6(pct < 0 ? host : host.slice(0, pct));
  if (v6) return formatIpv6(v6) + (pct < 0 ? '' : host.slice(pct));
  return null;
}
