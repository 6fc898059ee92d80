/**
 * Differential test: every ssh_config file under ssh-config-corpus/ resolved by remedy and by the
 * real `ssh -G -F FILE HOST` (OpenSSH) for each host its header lists, compared on every setting
 * remedy uses; files OpenSSH rejects must be rejected by remedy at the same lines. HOME is a
 * scratch directory holding the corpus's ~/.ssh (relative Includes), so this machine's own
 * ~/.ssh plays no part. Every remaining difference is listed in KNOWN with its reason.
 */
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadSshConfig } from '../../src/transport/ssh-config.js';
import { defaultResolveContext, resolveHost } from '../../src/transport/ssh-config/resolve.js';
import { ConfigError } from '../../src/model/errors.js';
import { COMPARED, CORPUS, dumpResolved, hostsOf, makeHome, parseDump, runSshMany } from './ssh-g.js';

/**
 * Differences that remain, each with its reason: a setting (`file host key`), or `error` when ssh
 * rejects lines of the file that remedy accepts.
 */
const KNOWN: Array<{ file: string; host: string; key: string; lines?: number[]; why: string }> = [
  {
    file: '22-known-lenient.conf', host: 'web1', key: 'error', lines: [6, 7, 8, 9, 10, 11],
    why: 'remedy checks the arguments of keywords it ignores for presence (and a few, such as LogLevel, for their values) '
      + 'but does not parse algorithm lists, forwardings, IPQoS, tunnel devices, rekey limits or AddKeysToAgent; '
      + 'none of them changes where or how remedy connects (Ciphers & co. are refused when set for a host)',
  },
];

/** The line numbers OpenSSH names in its error output for `file` ("Unsupported option" is only a warning). */
function errorLines(stderr: string, file: string): number[] {
  const lines = stderr.split('\n').filter((l) => l.startsWith(file) && !l.includes('Unsupported option'));
  return [...new Set(lines.flatMap((l) => [...l.matchAll(/line (\d+)/g)].map((m) => Number(m[1]))))].sort((a, b) => a - b);
}

describe('ssh_config compared with ssh -G (OpenSSH)', function () {
  this.timeout(120_000);
  let home: string;
  let env: NodeJS.ProcessEnv;
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.conf')).sort().map((f) => join(CORPUS, f));
  const cases = files.flatMap((file) => hostsOf(file).map((host) => ({ file, host })));
  let runs: Awaited<ReturnType<typeof runSshMany>>;

  before(async () => {
    home = makeHome();
    env = { ...process.env, HOME: home, REMEDY_TEST_AGENT_DIR: join(home, 'agents'), REMEDY_TEST_KH_DIR: join(home, 'kh') };
    runs = await runSshMany(cases.map((c) => ['-G', '-F', c.file, c.host]), env);
  });

  after(() => rmSync(home, { recursive: true, force: true }));

  it('has at least 15 config files, each with hosts to compare', () => {
    assert.ok(files.length >= 15, `${files.length} files`);
    for (const f of files) assert.ok(hostsOf(f).length > 0, `${f} lists no hosts`);
  });

  it('agrees with ssh -G on every setting remedy uses, or fails at the same lines', () => {
    const differences: string[] = [];
    const seenKnown = new Set<number>();
    let compared = 0;
    let errors = 0;
    cases.forEach(({ file, host }, i) => {
      const run = runs[i] as (typeof runs)[number];
      const rc = { ...defaultResolveContext(), env };
      let ours: Map<string, string[]> | undefined;
      let ourError: ConfigError | undefined;
      try {
        ours = dumpResolved(resolveHost(host, [], loadSshConfig([file], { includeHome: home }), rc));
      } catch (err) {
        if (!(err instanceof ConfigError) && !(err instanceof Error && 'problems' in err)) throw err;
        ourError = err instanceof ConfigError ? err : new ConfigError((err as ConfigError).problems);
      }
      const name = `${file.split('/').pop()} ${host}`;
      if (run.code !== 0) {
        errors++;
        const theirs = errorLines(run.stderr, file);
        if (!ourError) {
          const k = KNOWN.findIndex((d) => d.file === file.split('/').pop() && d.host === host && d.key === 'error');
          if (k >= 0 && JSON.stringify(KNOWN[k]?.lines) === JSON.stringify(theirs)) seenKnown.add(k);
          else differences.push(`${name}: ssh fails (${run.stderr.trim()}), remedy resolves it`);
          return;
        }
        const mine = [...new Set(ourError.problems.flatMap((p) => (p.line ? [p.line] : [])))].sort((a, b) => a - b);
        if (JSON.stringify(theirs) !== JSON.stringify(mine)) {
          differences.push(`${name}: ssh reports lines ${theirs.join(',')} (${run.stderr.trim()}); remedy ${mine.join(',')} (${ourError.message})`);
        }
        return;
      }
      if (!ours) {
        differences.push(`${name}: remedy fails (${ourError?.message}), ssh resolves it`);
        return;
      }
      const theirs = parseDump(run.stdout);
      for (const key of COMPARED) {
        compared++;
        const a = JSON.stringify(theirs.get(key) ?? []);
        const b = JSON.stringify(ours.get(key) ?? []);
        if (a === b) continue;
        const k = KNOWN.findIndex((d) => d.file === file.split('/').pop() && d.host === host && d.key === key);
        if (k >= 0) seenKnown.add(k);
        else differences.push(`${name} ${key}: ssh ${a}, remedy ${b}`);
      }
    });
    assert.deepEqual(differences, [], `${differences.length} differences`);
    assert.ok(compared > 1000 && errors >= 3, `compared ${compared} values, ${errors} error cases`);
    KNOWN.forEach((d, k) => assert.ok(seenKnown.has(k), `known difference no longer seen: ${JSON.stringify(d)}`));
  });
});
