/** Timing a whole process tree for the benchmarks (GNU time). */
import { spawn } from 'node:child_process';

export interface Timed {
  wallS: number; cpuS: number; rssMb: number; stdout: string; stderr: string; code: number | null;
  /** The longest time between two pieces of output on stdout (the live view redraws every 250 ms). */
  longestPauseS: number;
  /** From the first output matching `marker` to the end of the process (e.g. writing the reports after the run's END line). */
  afterMarkerS?: number;
}

/** Runs argv under GNU time (wall, user, sys, max RSS of the largest process of the tree). */
export function timed(argv: string[], input = '', env: NodeJS.ProcessEnv = process.env, marker?: RegExp): Promise<Timed> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', 'REMEDY-TIME %e %U %S %M', ...argv], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let last: number | undefined;
    let longest = 0;
    let markedAt: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      const now = performance.now();
      if (last !== undefined) longest = Math.max(longest, now - last);
      last = now;
      stdout += d.toString();
      if (marker && markedAt === undefined && marker.test(stdout.slice(-4096))) markedAt = now;
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const m = /REMEDY-TIME (\S+) (\S+) (\S+) (\d+)/.exec(stderr);
      const [wall, user, sys, rss] = m ? m.slice(1).map(Number) : [NaN, NaN, NaN, NaN];
      resolve({ wallS: wall!, cpuS: user! + sys!, rssMb: rss! / 1024, stdout, stderr: stderr.replace(/REMEDY-TIME .*\n?/, ''), code, longestPauseS: longest / 1000, ...(markedAt !== undefined ? { afterMarkerS: (performance.now() - markedAt) / 1000 } : {}) });
    });
    child.stdin.end(input);
  });
}

