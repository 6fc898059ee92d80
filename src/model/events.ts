import type { UnreachableKind } from './errors.js';
import type { HostReport, LockHolder, RunReport, RunStop, StepResult } from './results.js';

/** Typed events emitted by the engine; reporters subscribe, never reach into engine state. */
export type RunEvent =
  | { type: 'run-start'; playbooks: string[]; hosts: string[]; check: boolean; forks: number }
  | { type: 'play-start'; play: string; hosts: string[] }
  | { type: 'batch-start'; play: string; batch: number; hosts: string[] }
  | { type: 'task-start'; play: string; host: string; task: string; handler: boolean }
  | { type: 'task-result'; play: string; host: string; task: string; handler: boolean; result: StepResult }
  | { type: 'host-unreachable'; host: string; kind: UnreachableKind; message: string }
  | { type: 'batch-failed'; play: string; batch: number; failed: number; total: number; /** Absent when the play has none: then a batch stops only when all its hosts failed. */ maxFailPercentage?: number }
  | { type: 'host-locked'; host: string; holder: LockHolder }
  | { type: 'run-stopped'; stop: RunStop; notReached: string[] }
  | { type: 'play-end'; play: string }
  | { type: 'host-end'; host: HostReport }
  | { type: 'warning'; message: string; host?: string }
  | { type: 'interrupted'; signal: string }
  | { type: 'run-end'; report: RunReport };

export type EventListener = (event: RunEvent) => void;
