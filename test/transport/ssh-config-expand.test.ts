/**
 * Differential test of what ssh expands only when it connects, with the real client (`ssh -v`):
 * the identity files it loads (tokens, ${VAR}, ~), the ProxyCommand it executes (tokens, `exec`),
 * and for ProxyJump the `ssh -J` command it builds, whose jump host is then resolved by `ssh -G`
 * with the same arguments and compared with remedy's resolution of that hop. `ssh` and `nc` on
 * the PATH the ProxyCommands see are stand-ins that exit at once, so nothing leaves this machine.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/model/errors.js';
import { loadSshConfig, resolveSshSettings, type SshSettings } from '../../src/transport/ssh-config.js';
import { argvSplit } from '../../src/transport/ssh-config/lexer.js';
import { defaultResolveContext } from '../../src/transport/ssh-config/resolve.js';
import { COMPARED, CORPUS, dumpResolved, hostsOf, makeHome, parseDump, runSshMany } from './ssh-g.js';

/** The identity files ssh -v says it loaded, without the `-cert` companions it tries for each. */
function loadedIdentities(stderr: string): string[] {
  const out: string[] = [];
  for (const m of stderr.matchAll(/^debug1: identity file (.*) type -?\d+\r?$/gm)) {
    const path = m[1] as string;
    if (out.length > 0 && path === `${out[out.length - 1]}-cert`) continue;
    out.push(path);
  }
  return out;
}

/** `exec ssh [-l U] [-p P] [-J E] [-F F] [-v] -W '[h]:p' HOST` → the arguments for `ssh -G` of the hop, and the -W target. */
function jumpCommand(command: string): { args: string[]; forward: string } | undefined {
  const words = argvSplit(command, false);
  if (!words || words[0] !== 'exec' || words[1] !== 'ssh') return undefined;
  const w = words.indexOf('-W');
  return { args: [...words.slice(2, w), ...words.slice(w + 2)].filter((a) => !/^-v+$/.test(a)), forward: words[w + 1] as string };
}

describe('ssh_config expansions compared with ssh -v (identity files, ProxyCommand, ProxyJump hops)', function () {
  this.timeout(180_000);
  let home: string;
  let env: NodeJS.ProcessEnv;
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.conf')).sort().map((f) => join(CORPUS, f));
  const cases = files.flatMap((file) => hostsOf(file).map((host) => ({ file, host })));

  before(() => {
    home = makeHome();
    const bin = join(home, 'bin');
    mkdirSync(bin);
    for (const tool of ['ssh', 'nc']) {
      writeFileSync(join(bin, tool), '#!/bin/sh\nexit 1\n');
      chmodSync(join(bin, tool), 0o755);
    }
    env = {
      ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH}`,
      REMEDY_TEST_AGENT_DIR: join(home, 'agents'), REMEDY_TEST_KH_DIR: join(home, 'kh'),
    };
  });

  after(() => rmSync(home, { recursive: true, force: true }));

  it('loads the same identity files, runs the same ProxyCommand, and resolves jump hosts the same way', async () => {
    const dumps = await runSshMany(cases.map((c) => ['-G', '-F', c.file, c.host]), env);
    const live = cases.flatMap((c, i) => {
      if (dumps[i]?.code !== 0) return [];
      const dump = parseDump(dumps[i]?.stdout ?? '');
      // hosts ssh would connect to directly get a ProxyCommand that fails at once (on both sides)
      return [{ ...c, direct: !dump.has('proxycommand') && !dump.has('proxyjump') }];
    });
    const runs = await runSshMany(live.map((c) => ['-v', '-F', c.file, ...(c.direct ? ['-o', 'ProxyCommand=false'] : []), c.host, 'true']), env);
    const differences: string[] = [];
    const hops: Array<{ name: string; args: string[]; via: SshSettings }> = [];
    const counts = { identities: 0, commands: 0, jumps: 0, refused: 0 };
    const rc = { ...defaultResolveContext(), env };
    live.forEach((c, i) => {
      const run = runs[i] as (typeof runs)[number];
      const name = `${c.file.split('/').pop()} ${c.host}`;
      let s: SshSettings;
      try {
        const extra = c.direct ? { ansible_ssh_common_args: '-o ProxyCommand=false' } : {};
        s = resolveSshSettings({ host: c.host, kind: 'ssh', address: c.host, become: false, extra }, loadSshConfig([c.file], { includeHome: home }), rc, { explain: true });
      } catch (err) {
        // refused by remedy (documented in ssh-config.test.ts): nothing to compare
        if (!(err instanceof ConfigError)) throw err;
        counts.refused++;
        return;
      }
      const theirs = loadedIdentities(run.stderr);
      if (JSON.stringify(theirs) !== JSON.stringify(s.identityFiles)) differences.push(`${name} identity files: ssh ${JSON.stringify(theirs)}, remedy ${JSON.stringify(s.identityFiles)}`);
      counts.identities += theirs.length;
      const executed = /^debug1: Executing proxy command: (.*?)\r?$/m.exec(run.stderr)?.[1];
      if (s.route.kind === 'proxy-command') {
        counts.commands++;
        if (executed !== s.route.command) differences.push(`${name} ProxyCommand: ssh ${executed}, remedy ${s.route.command}`);
      } else if (s.route.kind === 'jump') {
        const jump = executed ? jumpCommand(executed) : undefined;
        if (!jump) differences.push(`${name}: remedy jumps, ssh runs ${executed}`);
        else {
          counts.jumps++;
          if (jump.forward !== `[${s.hostName}]:${s.port}`) differences.push(`${name} -W: ssh ${jump.forward}, remedy [${s.hostName}]:${s.port}`);
          hops.push({ name, args: jump.args, via: s.route.via });
        }
      } else differences.push(`${name}: remedy connects directly, ssh runs ${executed}`);
    });
    // each jump host as the `ssh -J` child resolves it, against remedy's resolution of that hop
    const hopRuns = await runSshMany(hops.map((h) => ['-G', ...h.args]), env);
    hops.forEach((h, i) => {
      const theirs = parseDump(hopRuns[i]?.stdout ?? '');
      const ours = dumpResolved(h.via.resolved!);
      for (const key of COMPARED) {
        const a = JSON.stringify(theirs.get(key) ?? []);
        const b = JSON.stringify(ours.get(key) ?? []);
        if (a !== b) differences.push(`${h.name} jump host (ssh ${h.args.join(' ')}) ${key}: ssh ${a}, remedy ${b}`);
      }
    });
    assert.deepEqual(differences, []);
    assert.ok(counts.identities > 200 && counts.commands >= 10 && counts.jumps >= 8, JSON.stringify(counts));
  });
});
