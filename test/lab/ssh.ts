/** Reaching lab hosts with the real OpenSSH client, the lab key and strict host key checking. */
import { runCommand, sleep, type RunResult } from './run.js';

export interface SshFiles {
  keyFile: string;
  knownHostsFile: string;
}

export function sshArgsFor(files: SshFiles, address: string, connectTimeoutS = 5): string[] {
  return [
    '-i', files.keyFile,
    '-o', `UserKnownHostsFile=${files.knownHostsFile}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'IdentitiesOnly=yes',
    '-o', `ConnectTimeout=${connectTimeoutS}`,
    '-o', 'LogLevel=ERROR',
    '-F', '/dev/null',
    `root@${address}`,
  ];
}

/** Runs a shell script on the host (the remote login shell runs it); a failure is a value. */
export function sshExec(files: SshFiles, address: string, script: string, timeoutMs = 60_000): Promise<RunResult> {
  return runCommand('ssh', [...sshArgsFor(files, address), '--', script], { timeoutMs });
}

/** Polls until `script` exits 0 on the host; returns the last result (code 0 on success). */
export async function waitFor(
  files: SshFiles,
  address: string,
  script: string,
  timeoutMs: number,
  accept: (r: RunResult) => boolean = (r) => r.code === 0,
): Promise<RunResult> {
  const end = Date.now() + timeoutMs;
  let last: RunResult = { code: null, stdout: '', stderr: 'not tried' };
  let informative: RunResult | undefined;
  while (Date.now() < end) {
    last = await runCommand('ssh', [...sshArgsFor(files, address, 2), '--', script], { timeoutMs: Math.max(1000, Math.min(10_000, end - Date.now())) });
    if (accept(last)) return last;
    if (!last.stderr.includes('[killed by')) informative = last;
    await sleep(200);
  }
  const why = informative && informative !== last ? `${last.stderr.trim()}; before that: ${informative.stderr.trim()}` : last.stderr;
  return { ...last, code: last.code === 0 ? -1 : last.code, stderr: why };
}

/** The script that says a booted host is ready: sshd answered, xinetd and the lab service run (5 s at most per try). */
export const READY_SCRIPT = [
  'ready() { [ -s /run/xinetd.pid ] && kill -0 "$(cat /run/xinetd.pid)" 2>/dev/null && [ -s /run/remedy-labd.pid ] && kill -0 "$(cat /run/remedy-labd.pid)" 2>/dev/null; }',
  'for i in $(seq 50); do ready && cat /proc/sys/kernel/random/boot_id && exit 0; sleep 0.1; done',
  'echo "not ready: xinetd.pid=$(cat /run/xinetd.pid 2>&1) remedy-labd.pid=$(cat /run/remedy-labd.pid 2>&1) $(ps -e -o pid=,comm= | tr -s " \\n" " ")" >&2',
  'exit 1',
].join('\n');
