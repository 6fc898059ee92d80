/** Helpers of the steps' lab suite: a step context over the real ssh client, and independent checks on a host. */
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Lab, LabHost } from '../lab/index.js';
import type { StepContext } from '../../src/steps/step.js';
import { createOpensshTransport } from './openssh-transport.js';
import { createSshTransport } from '../../src/transport/index.js';
import type { Transport } from '../../src/transport/transport.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { createFactsAccess, NO_HOST_OPTIONS } from '../../src/steps/facts-access.js';

/**
 * Which transport the suite drives the steps through: 'ssh2' (the product's SSH transport, one
 * connection per host reused by every step, the default) or 'openssh' (the real ssh client, one
 * process per command): REMEDY_STEPS_TRANSPORT=openssh.
 */
export const TRANSPORT_KIND = process.env.REMEDY_STEPS_TRANSPORT === 'openssh' ? 'openssh' : 'ssh2';
const transports = new Map<string, Transport>();

function connectionOf(lab: Lab, h: LabHost): ConnectionSpec {
  return {
    host: h.name, kind: 'ssh', address: h.address, port: 22, user: 'root', become: false,
    privateKeyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, hostKeyChecking: 'yes', extra: {},
  };
}

function transportFor(lab: Lab, h: LabHost): Transport {
  let t = transports.get(h.name);
  if (!t) {
    t = TRANSPORT_KIND === 'openssh'
      ? createOpensshTransport(h.name, lab.sshArgs(h))
      : createSshTransport(connectionOf(lab, h), { sshConfig: null });
    transports.set(h.name, t);
  }
  return t;
}

/** Closes the transports the suite opened. */
export async function closeTransports(): Promise<void> {
  const all = [...transports.values()];
  transports.clear();
  await Promise.all(all.map((t) => t.close().catch(() => undefined)));
}

/**
 * Lab hosts share / with this machine, whose root .bashrc runs `pyenv init`: its rehash lock can stall an
 * ssh session for 60 s. Our own lab's hosts get a quiet .bashrc (in their upper layer only).
 */
export async function quietRootShell(lab: Lab): Promise<void> {
  for (const h of lab.hosts) await writeFile(join(h.root, 'root/.bashrc'), '# steps-tests: quiet lab shell\n');
}

/** A StepContext on the host, with the lab's key and known_hosts (see TRANSPORT_KIND). */
export function stepContext(lab: Lab, h: LabHost, check = false): StepContext {
  const transport = transportFor(lab, h);
  const signal = new AbortController().signal;
  return {
    host: h.name,
    connection: connectionOf(lab, h),
    transport,
    vars: {}, facts: createFactsAccess(transport, NO_HOST_OPTIONS, { timeoutMs: 60_000, signal }), options: NO_HOST_OPTIONS,
    check, timeout: 60, signal,
  };
}

/** Runs a script on the host (independently of the steps) and returns its trimmed stdout; asserts exit 0. */
export async function hostSh(lab: Lab, h: LabHost, script: string): Promise<string> {
  const r = await lab.exec(h, script);
  assert.equal(r.code, 0, `on ${h.name}: ${script}\n${r.stderr}`);
  return r.stdout.trim();
}

/** Whether the process exists on the host and is not a zombie, by /proc. */
export async function isAliveOn(lab: Lab, h: LabHost, pid: number): Promise<boolean> {
  const out = await hostSh(lab, h, `if [ -e /proc/${pid} ] && ! grep -q '^State:.*Z' /proc/${pid}/status; then echo yes; else echo no; fi`);
  return out === 'yes';
}

/** Connects to host:port and resolves once the server greeted. */
export function greet(h: LabHost, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: h.address, port });
    s.on('error', reject);
    s.once('data', () => resolve(s));
    setTimeout(() => reject(new Error(`no greeting from ${h.address}:${port}`)), 10_000).unref();
  });
}

/** Resolves true when the server closes the connection (false after 10 s). */
export function closedByServer(s: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    if (s.destroyed || s.readableEnded) return resolve(true);
    s.once('close', () => resolve(true));
    setTimeout(() => resolve(false), 10_000).unref();
  });
}
