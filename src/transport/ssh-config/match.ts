/**
 * `Match` lines as OpenSSH 9.2 evaluates them (readconf.c match_cfg_line): all, canonical, final,
 * host, originalhost, user, localuser and exec, each negatable with `!`, all of them required.
 * `exec` runs the expanded command with the user's shell, as ssh does, only when the criteria
 * before it matched.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { strdelim } from './lexer.js';
import { matchHostname, matchPatternList } from './patterns.js';
import { connectionHash, expandValue, type LocalIdentity } from './tokens.js';

/** What the criteria are checked against, at the moment the line is read. */
export interface MatchInput {
  /** HostName so far with %h expanded, or the host as given (the final pass: the final host name). */
  host: string;
  originalHost: string;
  /** User so far, or the local user. */
  user: string;
  port: number;
  hostKeyAlias: string | undefined;
  final: boolean;
  local: LocalIdentity;
}

export type MatchResult = { matched: boolean; wantFinal: boolean } | { error: string };

/** Runs a Match exec command as ssh does: $SHELL -c, stdin and stdout on /dev/null; the exit status or null (killed). */
export function runMatchExec(command: string): number | null {
  const shell = process.env.SHELL || '/bin/sh';
  try {
    accessSync(shell, constants.X_OK);
  } catch (err) {
    throw new Error(`Shell "${shell}" is not executable: ${(err as Error).message}`);
  }
  const r = spawnSync(shell, ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error) throw new Error(`Unable to execute '${command}': ${r.error.message}`);
  return r.status;
}

/** Evaluates the text after `Match`; `exec` is how commands run (runMatchExec unless a test says otherwise). */
export function evaluateMatch(text: string, input: MatchInput, exec: (command: string) => number | null = runMatchExec): MatchResult {
  let cp: string | null = text;
  let result = true;
  let attributes = 0;
  let wantFinal = false;
  for (;;) {
    const next = strdelim(cp);
    cp = next.rest;
    const attrib = next.word;
    if (attrib === null || attrib === '') break;
    if (attrib.startsWith('#')) {
      cp = null;
      break;
    }
    const negate = attrib.startsWith('!');
    const name = (negate ? attrib.slice(1) : attrib).toLowerCase();
    if (name === 'all') {
      if (attributes > 1) return { error: `'${attrib}' cannot be combined with other Match attributes` };
      const arg = strdelim(cp);
      if (arg.word !== null && arg.word !== '' && !arg.word.startsWith('#')) {
        return { error: `'${attrib}' cannot be combined with other Match attributes` };
      }
      if (result) result = !negate;
      return { matched: result, wantFinal };
    }
    attributes++;
    if (name === 'canonical' || name === 'final') {
      if (name === 'final') wantFinal = true;
      if (input.final === negate) result = false;
      continue;
    }
    const argument = strdelim(cp);
    cp = argument.rest;
    const arg = argument.word;
    if (arg === null || arg === '' || arg.startsWith('#')) return { error: `Missing Match criteria for ${name}` };
    let r: boolean;
    if (name === 'host') r = matchHostname(input.host, arg) === 1;
    else if (name === 'originalhost') r = matchHostname(input.originalHost, arg) === 1;
    else if (name === 'user') r = matchPatternList(input.user, arg, false) === 1;
    else if (name === 'localuser') r = matchPatternList(input.local.user, arg, false) === 1;
    else if (name === 'exec') {
      const port = String(input.port);
      let command: string;
      try {
        command = expandValue(arg, {
          C: connectionHash(input.local.hostName, input.host, port, input.user),
          L: input.local.hostName.split('.')[0] ?? input.local.hostName,
          d: input.local.home,
          h: input.host,
          k: input.hostKeyAlias ?? input.host,
          l: input.local.hostName,
          n: input.originalHost,
          p: port,
          r: input.user,
          u: input.local.user,
          i: String(input.local.uid),
        }, null);
      } catch (err) {
        return { error: `Match exec: ${(err as Error).message}` };
      }
      if (!result) continue; // a criterion before it failed: not run
      let status: number | null;
      try {
        status = exec(command);
      } catch (err) {
        return { error: (err as Error).message };
      }
      if (status === null) return { error: `match exec '${command}' error` };
      r = status === 0;
    } else {
      return { error: `Unsupported Match attribute ${name}` };
    }
    if (r === negate) result = false;
  }
  if (attributes === 0) return { error: 'One or more attributes required for Match' };
  if (cp !== null && cp !== '') return { error: 'keyword match extra arguments at end of line' };
  return { matched: result, wantFinal };
}
