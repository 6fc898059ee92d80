/** Timing a whole process tree for the benchmarks (GNU time). */
import { spawn } from 'node:child_process';

export interface Timed { wallS: number; cpuS: number; rssMb: number; stdout: string; stderr: string; code: number | null }

/** Runs argv under GNU time (wall, user, sys, max RSS of the largest process of the tree). */
export function timed(argv: string[], input = '', env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', 'REMEDY-TIME %e %U %S %M', ...argv], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const m = /REMEDY-TIME (\S+) (\S+) (\S+) (\d+)/.exec(stderr);
      const [wall, user, sys, rss] = m ? m.slice(1).map(Number) : [NaN, NaN, NaN, NaN];
      resolve({ wallS: wall!, cpuS: user! + sys!, rssMb: rss! / 1024, stdout, stderr: stderr.replace(/REMEDY-TIME .*\n?/, ''), code });
    });
    child.stdin.end(input);
  });
}

