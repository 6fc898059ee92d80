/**
 * A play's health gate: after each batch but the last, the rollout goes on only once the gate passes
 * (kured #277: reboots that go on before the last batch is healthy). A gate is any of
 *   command: a shell command run on each host of the batch that is still active (exit 0 = healthy);
 *   tcp: a port on each such host that accepts a connection from the controller;
 *   http: a URL fetched from the controller that answers 2xx.
 * Every part must pass; each is tried again every 2 s until `timeout` seconds (default 60) have
 * passed. When the gate does not pass, the run stops: the later batches are not reached, with reason
 * health-gate and what failed. Not run in check mode (nothing was changed).
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HealthGate } from '../model/playbook.js';
import type { RunStop } from '../model/results.js';
import type { EngineContext } from './context.js';
import { isActive, type HostState } from './host-state.js';

export const DEFAULT_GATE_TIMEOUT_S = 60;
const RETRY_MS = 2000;
/** How long one try of one part may take. */
const TRY_MS = 10_000;

/** One failed part of the gate, for the stop message. */
type Check = () => Promise<string | null>;

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (why: string | null): void => { socket.destroy(); resolve(why); };
    socket.setTimeout(timeoutMs, () => done(`tcp ${host}:${port}: no answer within ${timeoutMs / 1000}s`));
    socket.once('connect', () => done(null));
    socket.once('error', (err) => done(`tcp ${host}:${port}: ${err.message}`));
  });
}

async function httpCheck(url: string, timeoutMs: number): Promise<string | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 300 ? null : `http ${url}: status ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message;
    return `http ${url}: ${cause ?? (err as Error).message}`;
  }
}

async function commandCheck(h: HostState, command: string, timeoutMs: number): Promise<string | null> {
  if (!h.transport) return `${h.host.name}: not connected, cannot run \`${command}\``;
  try {
    const res = await h.transport.exec({ script: command, timeoutMs });
    if (res.exitCode === 0 && !res.timedOut) return null;
    const said = (res.stderr.trim() || res.stdout.trim()).split('\n')[0]?.slice(0, 160);
    const how = res.timedOut ? `no answer within ${timeoutMs / 1000}s` : res.exitCode === null ? `signal ${res.signal}` : `exit ${res.exitCode}`;
    return `${h.host.name}: \`${command}\` ${how}${said ? `: ${said}` : ''}`;
  } catch (err) {
    return `${h.host.name}: \`${command}\`: ${(err as Error).message}`;
  }
}

/** Where the controller reaches a host for the tcp part. */
const addressOf = (h: HostState): string => (h.spec.kind === 'local' ? '127.0.0.1' : h.spec.address);

/** The checks of a gate for a batch's active hosts. */
export function gateChecks(gate: HealthGate, batch: HostState[]): Check[] {
  const hosts = batch.filter(isActive);
  const checks: Check[] = [];
  if (gate.command !== undefined) for (const h of hosts) checks.push(() => commandCheck(h, gate.command!, TRY_MS));
  if (gate.tcp !== undefined) for (const h of hosts) checks.push(() => tcpCheck(addressOf(h), gate.tcp!, TRY_MS));
  if (gate.http !== undefined) checks.push(() => httpCheck(gate.http!, TRY_MS));
  return checks;
}

/** Runs the gate until it passes or its timeout: null when it passed, else what failed last. */
export async function passGate(checks: Check[], timeoutS: number, signal: AbortSignal): Promise<string | null> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const failed = (await Promise.all(checks.map((c) => c()))).filter((w): w is string => w !== null);
    if (failed.length === 0) return null;
    if (Date.now() + RETRY_MS > deadline || signal.aborted) return failed.join('; ');
    try { await sleep(RETRY_MS, undefined, { signal }); } catch { return failed.join('; '); }
  }
}

/**
 * After batch `batch` (1-based) of a play: the stop when its gate did not pass, or undefined to go on.
 * The caller marks the later batches not reached.
 */
export async function checkHealthGate(ctx: EngineContext, play: string, gate: HealthGate | undefined, batch: HostState[], index: number): Promise<RunStop | undefined> {
  if (!gate || ctx.check || ctx.stopped) return undefined;
  const timeout = gate.timeout ?? DEFAULT_GATE_TIMEOUT_S;
  const failed = await passGate(gateChecks(gate, batch), timeout, ctx.stop);
  if (failed === null) return undefined;
  const message = `health gate after batch ${index} of play '${play}' did not pass within ${timeout}s (${failed}); the run ends`;
  ctx.stopped = { reason: 'health-gate', message, play, batch: index + 1, at: new Date().toISOString() };
  return ctx.stopped;
}
