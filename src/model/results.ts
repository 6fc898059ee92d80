/** Typed results of steps and hosts (execa style: a failure has the fields of a success plus why). */
import type { UnreachableKind } from './errors.js';

export type StepStatus = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';
/**
 * locked: another run held the host's lock, so this run left it alone; not-reached: the run stopped
 * (deadline, failure budget, a wholly failed batch, an interrupt) before this host's turn came.
 */
export type HostStatus = 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped' | 'locked' | 'not-reached';

export interface KilledProcess { pid: number; command: string; signal: string }

export interface ProcessOwner {
  /** container: a process of a container (docker, podman, systemd-nspawn, LXC…), named runtime:id; its runtime restarts it. */
  kind: 'systemd-unit' | 'init-script' | 'xinetd' | 'session' | 'user' | 'container' | 'kernel' | 'unknown';
  name: string;
}

export interface StaleProcess {
  pid: number;
  command: string;
  user: string;
  owner: ProcessOwner;
  files: string[];
}

/**
 * Why a host needs a reboot: a newer kernel than the running one (kernel-pending), a core package (glibc,
 * systemd, dbus, firmware, microcode…) installed after boot, the distribution's flag file, a unit that is
 * never restarted (dbus, systemd-logind, networkd… and the playbook's never_restart list) running replaced
 * code (never-restart). Two kinds are notes that need no reboot by themselves: kernel-livepatched (a
 * newer kernel is installed but the running one carries an enabled live patch: the reboot can wait) and
 * pid1-stale (PID 1 maps replaced files: daemon_reexec clears it).
 */
export type RebootReasonKind = 'kernel-pending' | 'kernel-livepatched' | 'core-package' | 'reboot-flag' | 'never-restart' | 'pid1-stale';

/** The kinds that do not require a reboot by themselves. */
export const ADVISORY_REBOOT_KINDS: readonly RebootReasonKind[] = ['kernel-livepatched', 'pid1-stale'];

/** A value of a reason's evidence: a version, a time, a name, or a list of them. */
export type EvidenceValue = string | number | boolean | Array<string | number>;

export interface RebootReason {
  kind: RebootReasonKind;
  /** For people: the evidence in one line. */
  detail: string;
  /** The same evidence as data: kernel versions, package and install time, unit names and pids, livepatch state. */
  evidence?: Record<string, EvidenceValue>;
}

/** Why a step failed, in a word a CI system can count (the message says it for people). */
export type FailureCause =
  // the command or script a step ran
  | 'exit-code' | 'timeout' | 'script-failed' | 'step-error'
  // the playbook's own verdicts and its expressions
  | 'assertion' | 'fail' | 'failed-when' | 'retries' | 'expression' | 'undefined-variable' | 'config' | 'bad-argument'
  // facts and remediation
  | 'probe-error' | 'probe-incomplete' | 'unknown-service' | 'unknown-user' | 'action-failed' | 'verify-failed'
  | 'kill-failed' | 'restart-failed' | 'reexec-failed' | 'reconnect-failed'
  // reboots
  | 'local-reboot-refused' | 'boot-id-unreadable' | 'reboot-not-sent' | 'reboot-timeout' | 'test-command-failed' | 'aborted'
  // the host lock: held by another run (the host is left alone), or not takeable (no flock, no lock file)
  | 'locked' | 'lock-unavailable';

/** A step's cause: a FailureCause when it failed, the UnreachableKind when the host could not be reached. */
export type StepCause = FailureCause | UnreachableKind;

/** What a step did to the host, aggregated by the engine into the host report. */
export interface StepEffects {
  restarted?: string[];
  killed?: KilledProcess[];
  /** When present, replaces the host's list of stale processes (the latest scan wins). */
  stale?: StaleProcess[];
  /** When present, replaces the host's reboot verdict (the latest scan wins). */
  rebootRequired?: boolean;
  rebootReasons?: RebootReason[];
}

export interface StepResult {
  status: StepStatus;
  /** True when the step changed the host (status 'changed' unless it failed afterwards). */
  changed: boolean;
  exitCode?: number | null;
  signal?: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Human readable summary: why it failed, what debug printed, why it was skipped. */
  message?: string;
  timedOut?: boolean;
  /** For unreachable results: the UnreachableKind. For failures: a short machine-readable cause. */
  cause?: StepCause;
  /** Variables a step sets on the host (set_fact); merged into host vars by the engine. */
  facts?: Record<string, unknown>;
  /** Extra structured data a step returns (visible through `register`). */
  data?: Record<string, unknown>;
  effects?: StepEffects;
  attempts?: number;
  /** What a remediating step decided (its typed plan as plain data); kept in the report. */
  plan?: unknown;
}

export interface StepRecord {
  play: string;
  task: string;
  status: StepStatus;
  durationMs: number;
  exitCode: number | null;
  message: string;
  /** A short machine-readable reason for a failure: exit-code, timeout, assertion, undefined-variable… */
  cause?: StepCause;
  /** A failure the playbook chose to ignore (ignore_errors): it does not fail the host. */
  ignored?: boolean;
  /** A failure inside a block that its rescue handled: it does not fail the host either (ignored is set too). */
  rescued?: boolean;
  /** What a remediating step decided to do (or would have done, in check mode). */
  plan?: unknown;
}

export interface HostReport {
  name: string;
  address: string;
  status: HostStatus;
  rebootRequired: boolean;
  rebootReasons: RebootReason[];
  restarted: string[];
  killed: KilledProcess[];
  stale: StaleProcess[];
  steps: StepRecord[];
  /** Present when status is 'unreachable': the UnreachableKind and message. */
  unreachable?: { kind: UnreachableKind; message: string };
  /** Present when status is 'locked': the run that held the host's lock. */
  locked?: LockHolder;
  /**
   * Present when the run stopped before this host ran every play it was in: why, and the first play
   * it missed. Its status is 'not-reached' unless it had already failed or was unreachable.
   */
  notReached?: NotReached;
}

/** Who holds a host's lock, as written beside the lock file on the host. */
export interface LockHolder {
  runId: string;
  /** The controller's host name. */
  controller: string;
  /** The remedy process on the controller. */
  pid: number;
  /** When that run started (ISO 8601). */
  startedAt: string;
}

/** Why a run stopped before every host was reached. */
export type StopReason = 'deadline' | 'max-fail' | 'batch-failed' | 'health-gate' | 'interrupted';

export interface NotReached { reason: StopReason; play: string }

/** The run-level record of an early stop: why, where, when, in words. */
export interface RunStop {
  reason: StopReason;
  message: string;
  /** The play whose next batch (or whose start) did not happen. */
  play?: string;
  /** 1-based: the batch that did not start (absent when the stop came between plays). */
  batch?: number;
  /** When the run stopped starting work (ISO 8601). */
  at: string;
}

/** --max-fail: the run stops once more than `value` hosts (or percent of the run's hosts) failed or were unreachable. */
export interface MaxFail { value: number; unit: 'hosts' | 'percent' }

/** --shard I/N: the run took the hosts whose name hashes to shard I of N. */
export interface Shard { index: number; count: number }

export interface RunReport {
  version: 1;
  startedAt: string;
  finishedAt: string;
  playbooks: string[];
  check: boolean;
  interrupted: boolean;
  /** This run's id (written beside each host lock it takes); absent in reports of older versions. */
  runId?: string;
  /** --deadline: no batch started after this time (ISO 8601). */
  deadline?: string;
  /** --max-fail, and the failed or unreachable hosts it counted when the run ended. */
  maxFail?: MaxFail & { failed: number; crossed: boolean };
  shard?: Shard;
  /** A merged report (`remedy report merge`): the shards it holds out of how many. */
  shards?: { count: number; present: number[] };
  /** Present when the run stopped before every host was reached. */
  stopped?: RunStop;
  hosts: HostReport[];
  summary: {
    hosts: number;
    ok: number;
    changed: number;
    failed: number;
    unreachable: number;
    /** Absent in reports of older versions (then 0). */
    locked?: number;
    notReached?: number;
    rebootRequired: string[];
  };
}
