/**
 * Every keyword OpenSSH 9.2 (as Debian 12 builds it) reads in ssh_config, how its arguments are
 * read, and what remedy does with it: `use` it, `ignore` it (it does not change where or how remedy
 * connects, or remedy is only stricter without it), or `refuse` the host when it is set.
 */

import { convtime } from './time.js';

export type Kind =
  | 'host' | 'match' | 'include'
  /** One word, first value wins. */
  | 'string'
  /** yes/no (true/false). */
  | 'flag'
  /** One of `states` (case-insensitive). */
  | 'multistate'
  /** A time (convtime) or `none`. */
  | 'time'
  | 'int'
  | 'port'
  /** IdentityFile, CertificateFile: every active line adds one. */
  | 'identity'
  /** Known hosts files: the first active line's words; `none` alone. */
  | 'files'
  /** ProxyCommand, LocalCommand, RemoteCommand, KnownHostsCommand: the raw rest of the line. */
  | 'command'
  | 'jump'
  /** IdentityAgent: a path, `none` or `SSH_AUTH_SOCK`, with ${VAR} checked. */
  | 'agent'
  /** Keywords remedy neither uses nor models beyond their word count. */
  | 'one' | 'many'
  /** Accepted and dropped by OpenSSH (deprecated, unsupported, `protocol`). */
  | 'dropped';

export interface Keyword {
  kind: Kind;
  /** The option this keyword sets (aliases share it); defaults to the keyword. */
  option: string;
  states?: string[];
  /** Why remedy refuses this value for a host, or null when it can honour or ignore it. */
  refuse?: (value: string) => string | null;
  /** OpenSSH's check of the argument of a keyword remedy ignores: the message, or null when valid. */
  check?: (arg: string) => string | null;
}

const FLAG = ['yes', 'no', 'true', 'false'];
const NOT_NONE = (what: string) => (v: string): string | null => (v.toLowerCase() === 'none' ? null : what);
const ALGORITHMS = (v: string): string => `remedy uses ssh2's own algorithm lists and cannot honour "${v}" (remove it for this host)`;

const table: Record<string, Omit<Keyword, 'option'> & { option?: string }> = {
  host: { kind: 'host' },
  match: { kind: 'match' },
  include: { kind: 'include' },
  hostname: { kind: 'string' },
  port: { kind: 'port' },
  user: { kind: 'string' },
  identityfile: { kind: 'identity' },
  identityfile2: { kind: 'identity', option: 'identityfile' },
  identitiesonly: { kind: 'flag' },
  identityagent: { kind: 'agent' },
  userknownhostsfile: { kind: 'files' },
  globalknownhostsfile: { kind: 'files' },
  stricthostkeychecking: { kind: 'multistate', states: ['true', 'false', 'yes', 'no', 'ask', 'off', 'accept-new'] },
  proxyjump: { kind: 'jump' },
  proxycommand: { kind: 'command' },
  connecttimeout: { kind: 'time' },
  hostkeyalias: { kind: 'string' },
  checkhostip: { kind: 'flag' },
  serveraliveinterval: { kind: 'time' },
  // Debian's keepalive patch: both are ServerAliveInterval
  protocolkeepalives: { kind: 'time', option: 'serveraliveinterval' },
  setuptimeout: { kind: 'time', option: 'serveraliveinterval' },
  serveralivecountmax: { kind: 'int' },
  hashknownhosts: { kind: 'flag' },
  passwordauthentication: { kind: 'flag' },
  pubkeyauthentication: { kind: 'multistate', states: ['true', 'false', 'yes', 'no', 'unbound', 'host-bound'] },
  dsaauthentication: { kind: 'multistate', option: 'pubkeyauthentication', states: ['true', 'false', 'yes', 'no', 'unbound', 'host-bound'] },
  batchmode: { kind: 'flag' },
  addressfamily: { kind: 'multistate', states: ['inet', 'inet6', 'any'] },
  bindaddress: { kind: 'string' },
  preferredauthentications: { kind: 'string' },
  ignoreunknown: { kind: 'string' },
  // changes where or how remedy would connect, and remedy does not implement it
  canonicalizehostname: {
    kind: 'multistate', states: ['true', 'false', 'yes', 'no', 'always'],
    refuse: (v) => (/^(no|false)$/i.test(v) ? null : 'remedy does not canonicalize host names (set HostName instead)'),
  },
  bindinterface: { kind: 'one', refuse: () => 'remedy cannot bind to an interface (BindAddress works)' },
  proxyusefdpass: { kind: 'flag', refuse: (v) => (/^(yes|true)$/i.test(v) ? 'remedy cannot take a connection passed back by a ProxyCommand' : null) },
  revokedhostkeys: { kind: 'one', refuse: NOT_NONE('remedy does not read revoked host key files (KRL); it would accept a key this file revokes') },
  knownhostscommand: { kind: 'command', refuse: NOT_NONE('remedy does not run a KnownHostsCommand') },
  nohostauthenticationforlocalhost: { kind: 'flag', refuse: (v) => (/^(yes|true)$/i.test(v) ? 'remedy always checks host keys, localhost included' : null) },
  certificatefile: { kind: 'identity', refuse: () => 'remedy cannot authenticate with certificates' },
  pkcs11provider: { kind: 'one', refuse: NOT_NONE('remedy cannot use PKCS#11 keys') },
  smartcarddevice: { kind: 'one', option: 'pkcs11provider', refuse: NOT_NONE('remedy cannot use PKCS#11 keys') },
  ciphers: { kind: 'one', refuse: ALGORITHMS },
  macs: { kind: 'one', refuse: ALGORITHMS },
  kexalgorithms: { kind: 'one', refuse: ALGORITHMS },
  hostkeyalgorithms: { kind: 'one', refuse: ALGORITHMS },
  pubkeyacceptedalgorithms: { kind: 'one', refuse: ALGORITHMS },
  pubkeyacceptedkeytypes: { kind: 'one', option: 'pubkeyacceptedalgorithms', refuse: ALGORITHMS },
  casignaturealgorithms: { kind: 'one', refuse: ALGORITHMS },
  // do not change where or how remedy connects (sessions, forwarding, UI, logging), or only make OpenSSH laxer
  hostbasedacceptedalgorithms: { kind: 'one' },
  hostbasedkeytypes: { kind: 'one', option: 'hostbasedacceptedalgorithms' },
  forwardagent: { kind: 'one' },
  forwardx11: { kind: 'flag' },
  forwardx11trusted: { kind: 'flag' },
  forwardx11timeout: { kind: 'time' },
  exitonforwardfailure: { kind: 'flag' },
  xauthlocation: { kind: 'one' },
  gatewayports: { kind: 'flag' },
  kbdinteractiveauthentication: { kind: 'flag' },
  challengeresponseauthentication: { kind: 'flag', option: 'kbdinteractiveauthentication' },
  skeyauthentication: { kind: 'flag', option: 'kbdinteractiveauthentication' },
  tisauthentication: { kind: 'flag', option: 'kbdinteractiveauthentication' },
  kbdinteractivedevices: { kind: 'one' },
  hostbasedauthentication: { kind: 'flag' },
  gssapiauthentication: { kind: 'flag' },
  gssapidelegatecredentials: { kind: 'flag' },
  gssapikeyexchange: { kind: 'flag' },
  gssapiclientidentity: { kind: 'one' },
  gssapiserveridentity: { kind: 'one' },
  gssapirenewalforcesrekey: { kind: 'flag' },
  gssapitrustdns: { kind: 'flag' },
  gssapikexalgorithms: { kind: 'one' },
  addkeystoagent: { kind: 'many' },
  remoteforward: { kind: 'many' },
  localforward: { kind: 'many' },
  dynamicforward: { kind: 'many' },
  permitremoteopen: { kind: 'many' },
  clearallforwardings: { kind: 'flag' },
  escapechar: {
    kind: 'one',
    check: (a) => (a === 'none' || a.length === 1 || (a.length === 2 && a[0] === '^' && a.charCodeAt(1) >= 64 && a.charCodeAt(1) < 128) ? null : 'Bad escape character.'),
  },
  connectionattempts: { kind: 'int' },
  compression: { kind: 'multistate', states: ['yes', 'no'] },
  tcpkeepalive: { kind: 'flag' },
  keepalive: { kind: 'flag', option: 'tcpkeepalive' },
  numberofpasswordprompts: { kind: 'int' },
  syslogfacility: {
    kind: 'one',
    check: (a) => (/^(daemon|user|auth|authpriv|local[0-7])$/i.test(a) ? null : `unsupported log facility '${a}'`),
  },
  loglevel: {
    kind: 'one',
    check: (a) => (/^(silent|quiet|fatal|error|info|verbose|debug[123]?)$/i.test(a) ? null : `unsupported log level '${a}'`),
  },
  logverbose: { kind: 'many' },
  enablesshkeysign: { kind: 'flag' },
  verifyhostkeydns: { kind: 'multistate', states: ['true', 'false', 'yes', 'no', 'ask'] },
  rekeylimit: { kind: 'many' },
  sendenv: { kind: 'many' },
  setenv: { kind: 'many' },
  controlpath: { kind: 'one' },
  controlmaster: { kind: 'multistate', states: ['true', 'yes', 'false', 'no', 'auto', 'ask', 'autoask'] },
  controlpersist: { kind: 'one', check: (a) => (/^(yes|no|true|false)$/.test(a) || convtime(a) >= 0 ? null : 'Bad ControlPersist argument.') },
  tunnel: { kind: 'multistate', states: ['ethernet', 'point-to-point', 'true', 'yes', 'false', 'no'] },
  tunneldevice: { kind: 'one' },
  localcommand: { kind: 'command' },
  permitlocalcommand: { kind: 'flag' },
  remotecommand: { kind: 'command' },
  visualhostkey: { kind: 'flag' },
  ipqos: { kind: 'many' },
  requesttty: { kind: 'multistate', states: ['true', 'yes', 'false', 'no', 'force', 'auto'] },
  sessiontype: { kind: 'multistate', states: ['none', 'subsystem', 'default'] },
  stdinnull: { kind: 'flag' },
  forkafterauthentication: { kind: 'flag' },
  canonicaldomains: { kind: 'many' },
  canonicalizefallbacklocal: { kind: 'flag' },
  canonicalizemaxdots: { kind: 'int' },
  canonicalizepermittedcnames: { kind: 'many' },
  streamlocalbindmask: { kind: 'one' },
  streamlocalbindunlink: { kind: 'flag' },
  fingerprinthash: { kind: 'one', check: (a) => (/^(md5|sha1|sha256|sha384|sha512)$/i.test(a) ? null : `Invalid hash algorithm "${a}".`) },
  updatehostkeys: { kind: 'multistate', states: ['true', 'false', 'yes', 'no', 'ask'] },
  securitykeyprovider: { kind: 'one' },
  requiredrsasize: { kind: 'int' },
  enableescapecommandline: { kind: 'flag' },
};

for (const k of ['protocol', 'cipher', 'fallbacktorsh', 'globalknownhostsfile2', 'rhostsauthentication', 'userknownhostsfile2',
  'useroaming', 'usersh', 'useprivilegedport', 'afstokenpassing', 'kerberosauthentication', 'kerberostgtpassing',
  'rsaauthentication', 'rhostsrsaauthentication', 'compressionlevel', 'useblacklistedkeys']) {
  table[k] = { kind: 'dropped' };
}

/** The keyword's definition, or undefined when OpenSSH would call it a bad configuration option. */
export function lookupKeyword(keyword: string): Keyword | undefined {
  const k = Object.hasOwn(table, keyword) ? table[keyword] : undefined;
  return k ? { ...k, option: k.option ?? keyword } : undefined;
}

