/**
 * Host identifiers as Ansible's parse_address reads them: a host name, an IPv4 or IPv6 address,
 * each possibly holding [x:y(:z)] ranges, with an optional :port ("web1:2222", "[::1]:22").
 */

const numericRange = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const hexRange = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const alnumRange = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;

const ipv4Part = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${numericRange})`;
const ipv6Part = String.raw`(?:[0-9a-f]{1,4}|${hexRange})`;
const label = String.raw`(?:[\p{L}\p{N}_]|${alnumRange})(?:[\p{L}\p{N}_-]|${alnumRange})*(?<![_-])`;

const bracketedHostPort = /^\[(.+)\]:([0-9]+)$/;
const hostPort = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const ipv4 = new RegExp(String.raw`^(?:${ipv4Part}\.){3}${ipv4Part}$`, 'i');
const hostname = new RegExp(String.raw`^${label}(?:\.${label})*$`, 'iu');

/** IPv6 forms: full, with one "::" and optional trailing IPv4, as Ansible's ipv6 pattern allows. */
function isIpv6(s: string): boolean {
  const p6 = new RegExp(`^${ipv6Part}$`, 'i');
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!ipv4.test(tail)) return false;
    text = text.slice(0, lastColon + 1) + '0:0'; // an IPv4 tail counts as two groups
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const parts = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parts(halves[0] ?? '');
  const rest = halves.length === 2 ? parts(halves[1] ?? '') : [];
  if (![...head, ...rest].every((g) => p6.test(g))) return false;
  const count = head.length + rest.length;
  return halves.length === 2 ? count <= 7 : count === 8;
}

export interface ParsedAddress {
  host: string;
  port?: number;
}

/**
 * Parses "host", "host:port", "[v6]:port"; undefined when the text is not a host identifier.
 * Ranges (web[01:20]) are accepted inside the host part.
 */
export function parseAddress(text: string): ParsedAddress | undefined {
  let address = text;
  let port: number | undefined;
  for (const re of [bracketedHostPort, hostPort]) {
    const m = re.exec(address);
    if (m) {
      address = m[1] ?? '';
      port = Number(m[2]);
    }
  }
  if (ipv4.test(address) || isIpv6(address) || hostname.test(address)) {
    return port === undefined ? { host: address } : { host: address, port };
  }
  return undefined;
}
