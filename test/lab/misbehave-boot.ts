/**
 * Hosts that misbehave across a reboot, through the supervisor's one-shot hook (assets/supervise.sh
 * runs `on-reboot` from the host's state dir after the host went down and before it boots again):
 * a host key that changes at the next boot, a host that takes its time to come back, anything a
 * test wants done to the host's root while it is down.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, LabHost } from './index.js';
import { hostStateDir } from './paths.js';
import { shellQuote } from '../../src/model/shell-quote.js';
import { mustRun } from './run.js';

type HostArg = LabHost | string;
const hostOf = (lab: Lab, host: HostArg): LabHost => lab.host(typeof host === 'string' ? host : host.name);

/** Runs `script` (sh, on this machine) once, after the host's next shutdown and before it boots again. */
export async function onNextBoot(lab: Lab, host: HostArg, script: string): Promise<void> {
  const h = hostOf(lab, host);
  await writeFile(join(hostStateDir(lab.name, h.name), 'on-reboot'), `${script}\n`);
}

/** Removes a hook that has not run yet (a test that armed it and then did not reboot the host). */
export async function cancelNextBoot(lab: Lab, host: HostArg): Promise<void> {
  await rm(join(hostStateDir(lab.name, hostOf(lab, host).name), 'on-reboot'), { force: true });
}

/**
 * The host comes back from its next reboot with a new ed25519 host key (as a reinstalled or re-imaged
 * host does); the lab's known_hosts keeps the old one. Returns the new public key.
 */
export async function changeHostKeyAtNextBoot(lab: Lab, host: HostArg): Promise<{ newKey: string }> {
  const h = hostOf(lab, host);
  const fresh = join(hostStateDir(lab.name, h.name), 'next-host-key');
  await rm(fresh, { force: true });
  await rm(`${fresh}.pub`, { force: true });
  await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${h.name}-next-boot`, '-f', fresh]);
  const target = join(h.root, 'etc/ssh/ssh_host_ed25519_key');
  await onNextBoot(lab, h, [
    `cp ${shellQuote(fresh)} ${shellQuote(target)}`,
    `cp ${shellQuote(`${fresh}.pub`)} ${shellQuote(`${target}.pub`)}`,
  ].join(' && '));
  return { newKey: (await readFile(`${fresh}.pub`, 'utf8')).trim() };
}

/** The host stays down `seconds` after its next shutdown before it boots again (a slow firmware, a long fsck). */
export async function delayNextBoot(lab: Lab, host: HostArg, seconds: number): Promise<void> {
  await onNextBoot(lab, host, `sleep ${Number(seconds)}`);
}
