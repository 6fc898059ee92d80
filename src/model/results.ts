/** Typed results of steps and hosts (execa style: a failure has the fields of a success plus why). */

export type StepStatus = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';
export type HostStatus = 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped';

export interface KilledProcess { pid: number; command: string; signal: string }

export interface ProcessOwner {
  kind: 'systemd-unit' | 'init-script' | 'xinetd' | 'session' | 'user' | 'kernel' | 'unknown';
  name: string;
}

export interface StaleProcess {
  pid: number;
  command: string;
  user: string;
  owner: ProcessOwner;
  files: string[];
}

export interface RebootReason { kind: string; detail: string }

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
  cause?: string;
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
  cause?: string;
  /** A failure the playbook chose to ignore (ignore_errors): it does not fail the host. */
  ignored?: boolean;
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
  unreachable?: { kind: string; message: string };
}

export interface RunReport {
  version: 1;
  startedAt: string;
  finishedAt: string;
  playbooks: string[];
  check: boolean;
  interrupted: boolean;
  hosts: HostReport[];
  summary: {
    hosts: number;
    ok: number;
    changed: number;
    failed: number;
    unreachable: number;
    rebootRequired: string[];
  };
}
