/**
 * Benchmark (not a test): the facts probe on a lab host, section by section. The probe is sent with
 * its section marker changed to also print a nanosecond clock to stderr; each section's cost is the
 * median over REMEDY_BENCH_PROBE_RUNS runs (default 9) of the time to the next marker. Prints; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { buildProbeScript } from '../../src/facts/probe.sh.js';
import { startLab } from '../lab/index.js';
import { quietRootShell } from '../steps/lab-helpers.js';

const MARK = `sec() { printf '@@%s\\n' "$1"; printf '%s %s\\n' "$1" "$(date +%s%N)" >&2; }`;

export async function runProbeSections(): Promise<void> {
  const runs = Number(process.env.REMEDY_BENCH_PROBE_RUNS ?? 9);
  const lab = await startLab({ name: `bench-probe-${process.pid}`, count: 1, flavor: 'systemd' });
  try {
    await quietRootShell(lab);
    const plain = buildProbeScript();
    if (!plain.includes(`sec() { printf '@@%s\\n' "$1"; }`)) throw new Error('the probe\'s section marker changed: update this bench');
    const script = `${plain.replace(`sec() { printf '@@%s\\n' "$1"; }`, MARK)}\nprintf 'done %s\\n' "$(date +%s%N)" >&2\n`;
    const costs = new Map<string, number[]>();
    for (let i = 0; i < runs; i++) {
      const r = spawnSync('ssh', [...lab.sshArgs(lab.hosts[0]!), 'sh -s'], { input: script, encoding: 'utf8' });
      const marks = r.stderr.split('\n').filter((l) => /^\S+ \d{15,}$/.test(l)).map((l) => l.split(' ') as [string, string]);
      for (let j = 0; j + 1 < marks.length; j++) {
        const ms = Number(BigInt(marks[j + 1]![1]) - BigInt(marks[j]![1])) / 1e6;
        costs.set(marks[j]![0], [...(costs.get(marks[j]![0]) ?? []), ms]);
      }
    }
    const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    console.log(`\nthe facts probe on one idle lab host (systemd), section by section, median of ${runs} runs, ms`);
    let total = 0;
    for (const [section, list] of costs) {
      total += median(list);
      console.log(`  ${section.padEnd(16)}${median(list).toFixed(1).padStart(7)}`);
    }
    console.log(`  ${'total'.padEnd(16)}${total.toFixed(1).padStart(7)}`);
  } finally {
    await lab.down();
  }
}

export const bench = { name: 'probe-sections', run: runProbeSections };
