/**
 * The inventory's connection settings as the ssh command line Ansible builds from them: its own
 * `-o` options first (StrictHostKeyChecking, Port, IdentityFile, User, ConnectTimeout), then
 * ansible_ssh_common_args and ansible_ssh_extra_args. Each becomes a config line that OpenSSH
 * would read before the config files (first value wins).
 */
import { ConfigError } from '../model/errors.js';
import type { ConnectionSpec } from '../model/inventory.js';
import type { Vars } from '../model/playbook.js';
import { argvSplit, lexLine, type ConfigLine } from './ssh-config/lexer.js';

function line(origin: string, keyword: string, value: string): ConfigLine {
  return { file: origin, line: 0, keyword, rest: value, args: [value] };
}

/** The inventory's own settings (ansible_port, ansible_user, …) as command-line options. */
export function specOptions(spec: ConnectionSpec): ConfigLine[] {
  const out: ConfigLine[] = [];
  const origin = `inventory (${spec.host})`;
  if (spec.hostKeyChecking !== undefined) out.push(line(origin, 'stricthostkeychecking', spec.hostKeyChecking));
  if (spec.port !== undefined) out.push(line(origin, 'port', String(spec.port)));
  if (spec.privateKeyFile !== undefined) out.push(line(origin, 'identityfile', spec.privateKeyFile));
  if (spec.user !== undefined) out.push(line(origin, 'user', spec.user));
  if (spec.connectTimeout !== undefined) out.push(line(origin, 'connecttimeout', String(spec.connectTimeout)));
  if (spec.knownHostsFile !== undefined) out.push(line(origin, 'userknownhostsfile', spec.knownHostsFile));
  return out;
}

/** ssh flags that take a value and the option they set. */
const VALUE_FLAGS: Record<string, string> = {
  J: 'proxyjump', p: 'port', l: 'user', i: 'identityfile', b: 'bindaddress', B: 'bindinterface', c: 'ciphers', m: 'macs',
};

/** Flags that change nothing remedy does (compression, verbosity, tty, agent/X11 forwarding, no command). */
const HARMLESS = new Set(['C', 'q', 'v', 'T', 't', 'A', 'a', 'x', 'X', 'Y', 'n', 'N', 'k', 'K', 'g', 'G', 's', 'f', 'M']);

/** `-o Key=Value`, `-J`, `-p`, `-l`, `-i`, `-4`, `-6`… from ansible_ssh_common_args and ansible_ssh_extra_args. */
export function parseSshArgs(extra: Vars): ConfigLine[] {
  const out: ConfigLine[] = [];
  for (const varName of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const text = extra[varName];
    if (typeof text !== 'string') continue;
    const words = argvSplit(text, false);
    const fail = (message: string): never => {
      throw new ConfigError({ file: `inventory (${varName})`, message: `${varName}: ${message}` });
    };
    if (words === null) fail(`unbalanced quotes in ${JSON.stringify(text)}`);
    const list = words as string[];
    for (let i = 0; i < list.length; i++) {
      const w = list[i] as string;
      if (!w.startsWith('-') || w.length < 2) fail(`"${w}" is not an ssh option (remedy reads -o, -J, -p, -l, -i, -4, -6 and flags that change nothing)`);
      // a cluster such as -4C or -oPort=2 or -p2
      for (let j = 1; j < w.length; j++) {
        const flag = w[j] as string;
        if (flag === '4' || flag === '6') {
          out.push(line(varName, 'addressfamily', flag === '4' ? 'inet' : 'inet6'));
          continue;
        }
        if (HARMLESS.has(flag)) continue;
        if (flag !== 'o' && !VALUE_FLAGS[flag]) fail(`ssh option -${flag} is not supported by remedy`);
        const value = j + 1 < w.length ? w.slice(j + 1) : list[++i];
        if (value === undefined) fail(`ssh option -${flag} needs a value`);
        if (flag === 'o') {
          const lexed = lexLine(value as string, varName, 0);
          if (!lexed) fail(`-o needs an option, got ${JSON.stringify(value)}`);
          if (lexed && 'missing' in lexed) fail(`-o ${value}: no argument after keyword "${lexed.missing}"`);
          out.push(lexed as ConfigLine);
        } else {
          out.push(line(varName, VALUE_FLAGS[flag] as string, value as string));
        }
        break;
      }
    }
  }
  return out;
}
