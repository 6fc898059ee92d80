/**
 * Scenario builders for the reboot verdict (issue 16): a live patch stand-in, a package upgrade of any
 * file, a process in a container, interpreted programs whose modules are replaced, and services made
 * to fail their restart. Every process is started on the lab host (its pid recorded by the caller) and
 * ends with the host.
 */
import { randomBytes } from 'node:crypto';
import type { Lab, LabHost } from './index.js';
import { APP_LIB, USER_APP } from './layer.js';

async function sh(lab: Lab, h: LabHost, script: string): Promise<string> {
  const r = await lab.exec(h, `set -e\n${script}`, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`lab scenario on ${h.name} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout.trim();
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A package upgrade of one file: a copy beside it (with `extra` appended, or `text` instead) renamed over it. */
export async function upgradeOnHost(lab: Lab, h: LabHost, path: string, change: { append?: string; text?: string } = {}): Promise<void> {
  const body = change.text !== undefined ? `printf '%s' ${q(change.text)} > ${q(`${path}.remedy-new`)}` : `cp -p ${q(path)} ${q(`${path}.remedy-new`)}`;
  const append = change.append ? `\nprintf '%s\\n' ${q(change.append)} >> ${q(`${path}.remedy-new`)}` : '';
  await sh(lab, h, `${body}${append}\nchmod --reference=${q(path)} ${q(`${path}.remedy-new`)}\nmv -f ${q(`${path}.remedy-new`)} ${q(path)}`);
}

/** A /sys stand-in with one live patch (enabled, transition as given); returns the root to point the probe at. */
export async function plantLivepatch(lab: Lab, h: LabHost, patch: { name: string; enabled: 0 | 1; transition: 0 | 1 }): Promise<string> {
  const root = '/var/lib/remedy-lab-sys';
  const dir = `${root}/kernel/livepatch/${patch.name}`;
  await sh(lab, h, `rm -rf ${root}/kernel/livepatch\nmkdir -p ${dir}\necho ${patch.enabled} > ${dir}/enabled\necho ${patch.transition} > ${dir}/transition`);
  return root;
}

/** A stand-in `canonical-livepatch` at /snap/bin printing a status, owned by `uid` (0: root). */
export async function plantCanonicalLivepatch(lab: Lab, h: LabHost, uid: number): Promise<void> {
  const text = [
    '#!/bin/sh', '[ "$1" = status ] || exit 2', 'echo "last check: 3 minutes ago"', 'echo "kernel: 6.1.0-13.14-generic"',
    'echo "server check-in: succeeded"', 'echo "patch state: ✓ all applicable livepatch modules inserted"', 'echo "patch version: 99.1"', '',
  ].join('\n');
  await sh(lab, h, `mkdir -p /snap/bin\nprintf '%s' ${q(text)} > /snap/bin/canonical-livepatch\nchmod 755 /snap/bin/canonical-livepatch\nchown ${uid} /snap/bin/canonical-livepatch`);
}

export interface ContainerProcess {
  /** The process as the lab host sees it. */
  pid: number;
  /** docker-<id>.scope on systemd hosts; null on SysV (only the PID namespace says container). */
  id: string | null;
  pidNs: string;
}

/**
 * remedy-lab-app in its own PID and mount namespaces (unshare --pid --mount --fork), on systemd in a
 * scope named like docker's (docker-<64 hex>.scope); then its library is upgraded under it.
 */
export async function startContainerProcess(lab: Lab, h: LabHost): Promise<ContainerProcess> {
  const id = h.flavor.endsWith('sysv') ? null : randomBytes(32).toString('hex');
  const run = id ? `systemd-run --quiet --scope --unit=docker-${id}.scope unshare --pid --mount --fork ${USER_APP}` : `unshare --pid --mount --fork ${USER_APP}`;
  const before = await sh(lab, h, 'pgrep -x remedy-lab-app || true');
  await sh(lab, h, `nohup ${run} </dev/null >/dev/null 2>&1 &\nfor i in $(seq 50); do n=$(pgrep -x remedy-lab-app | wc -l); [ "$n" -gt ${before.split(/\s+/).filter(Boolean).length} ] && exit 0; sleep 0.1; done; exit 1`);
  const known = new Set(before.split(/\s+/).filter(Boolean));
  const pid = Number((await sh(lab, h, 'pgrep -x remedy-lab-app')).split(/\s+/).find((p) => !known.has(p)));
  await sh(lab, h, `for i in $(seq 50); do grep -q -F ${APP_LIB} /proc/${pid}/maps && exit 0; sleep 0.1; done; exit 1`);
  const pidNs = await sh(lab, h, `readlink /proc/${pid}/ns/pid`);
  await upgradeOnHost(lab, h, APP_LIB);
  return { pid, id, pidNs };
}

export const PY_DIR = '/usr/local/lib/remedy-lab/py';
export const PY_SITE = '/usr/local/lib/python3.11/dist-packages/remedy_lab_mod.py';
export const PL_MOD = '/usr/local/share/perl/5.36.0/RemedyLab/Mod.pm';
export const SH_SCRIPT = '/usr/local/lib/remedy-lab/job.sh';

export interface InterpretedPrograms {
  /** Host pids: python (a module beside it and one in dist-packages replaced), same (nothing replaced), perl, shell. */
  pids: { python: number; same: number; perl: number; shell: number };
  /** The files replaced under each. */
  replaced: { python: string[]; perl: string[]; shell: string[] };
}

/**
 * Python, Perl and shell programs started as services (systemd-run units remedy-py, remedy-py-same,
 * remedy-pl, remedy-sh; on SysV as root daemons), 3.5 s after their sources were written, then, 3.5 s
 * later, their modules upgraded (start times and ctimes are whole seconds).
 */
export async function startInterpretedPrograms(lab: Lab, h: LabHost): Promise<InterpretedPrograms> {
  await sh(lab, h, [
    `mkdir -p ${PY_DIR}/pkg $(dirname ${PY_SITE}) $(dirname ${PL_MOD})`,
    `printf 'import time\\nimport helper\\nimport remedy_lab_mod\\nfrom pkg import sub\\nwhile True:\\n    time.sleep(1)\\n' > ${PY_DIR}/app.py`,
    `printf 'X = 1\\n' > ${PY_DIR}/helper.py; : > ${PY_DIR}/pkg/__init__.py; printf 'V = 1\\n' > ${PY_DIR}/pkg/sub.py`,
    `printf 'Z = 1\\n' > ${PY_SITE}`,
    `printf 'import time\\nimport same_helper\\nwhile True:\\n    time.sleep(1)\\n' > ${PY_DIR}/same.py; printf 'Y = 1\\n' > ${PY_DIR}/same_helper.py`,
    `printf 'package RemedyLab::Mod;\\n1;\\n' > ${PL_MOD}`,
    `printf 'use strict;\\nuse RemedyLab::Mod;\\nsleep 600;\\n' > /usr/local/lib/remedy-lab/app.pl`,
    `printf 'sleep 600\\nexit 0\\n' > ${SH_SCRIPT}`,
    'sleep 3.5',
  ].join('\n'));
  const programs: Array<[keyof InterpretedPrograms['pids'], string]> = [
    ['python', `/usr/bin/python3 ${PY_DIR}/app.py`], ['same', `/usr/bin/python3 ${PY_DIR}/same.py`],
    ['perl', '/usr/bin/perl /usr/local/lib/remedy-lab/app.pl'], ['shell', `/bin/bash ${SH_SCRIPT}`],
  ];
  const pids = {} as InterpretedPrograms['pids'];
  for (const [name, cmd] of programs) {
    const unit = `remedy-${name}`;
    const out = h.flavor.endsWith('sysv')
      ? await sh(lab, h, `cd /; setsid ${cmd} </dev/null >/dev/null 2>&1 & echo $!`)
      : await sh(lab, h, `systemd-run --quiet --unit=${unit} ${cmd}; for i in $(seq 50); do p=$(systemctl show -p MainPID --value ${unit}); [ "$p" != 0 ] && echo $p && exit 0; sleep 0.1; done; exit 1`);
    pids[name] = Number(out.split('\n').pop());
  }
  await sh(lab, h, 'sleep 3.5');
  for (const f of [`${PY_DIR}/helper.py`, PY_SITE, PL_MOD]) await upgradeOnHost(lab, h, f, { append: '# 2' });
  await upgradeOnHost(lab, h, SH_SCRIPT, { text: 'sleep 601\nexit 0\n' });
  return { pids, replaced: { python: [`${PY_DIR}/helper.py`, PY_SITE], perl: [PL_MOD], shell: [SH_SCRIPT] } };
}

/** `needrestart -b -v`'s interpreter hits: pid → the files it calls obsolete (/proc/PID/root prefixes removed). */
export function needrestartInterpreterHits(verbose: string): Map<number, string[]> {
  const hits = new Map<number, string[]>();
  let current: number | null = null;
  for (const line of verbose.split('\n')) {
    const head = /^\[Core\] #(\d+) uses obsolete script file\(s\):/.exec(line);
    if (head) { current = Number(head[1]); hits.set(current, []); continue; }
    const file = /^\[Core\] #(\d+) {2}(\S.*)$/.exec(line);
    if (file && Number(file[1]) === current) hits.get(current)!.push(file[2]!.replace(/^\/proc\/\d+\/root\/+/, '/'));
    else current = null;
  }
  return hits;
}
