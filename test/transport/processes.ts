/** Processes of this machine seen through /proc, for tests that check what a transport started and ended. */
import { readdirSync, readFileSync } from 'node:fs';

/** This process's children (pid and command name), from /proc. */
export function childrenOf(ppid: number): Array<{ pid: number; comm: string; args: string }> {
  const out: Array<{ pid: number; comm: string; args: string }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      if (Number(fields[1]) !== ppid) continue;
      const args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(d), comm: stat.slice(stat.indexOf('(') + 1, close), args });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
