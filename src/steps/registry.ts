import type { StepType } from './step.js';

/** Every step type a playbook may use, by its key in the task. */
const steps = new Map<string, StepType<never>>();

export function registerStep(step: StepType<never>): void {
  steps.set(step.name, step);
}

export function findStep(name: string): StepType<unknown> | undefined {
  return steps.get(name) as StepType<unknown> | undefined;
}

export function stepNames(): string[] {
  return [...steps.keys()].sort();
}

/**
 * In the order playbook.schema.json lists them (and messages name them). Adding a step is its file and
 * one line here; the build then writes its schema file and the playbook schema's step list.
 */
const builtIn: StepType<never>[] = [
  (await import('./command.js')).commandStep,
  (await import('./shell.js')).shellStep,
  (await import('./assert.js')).assertStep,
  (await import('./set-fact.js')).setFactStep,
  (await import('./debug.js')).debugStep,
  (await import('./fail.js')).failStep,
  (await import('./gather-facts.js')).gatherFactsStep,
  (await import('./recheck.js')).recheckStep,
  (await import('./restart-services.js')).restartServicesStep,
  (await import('./service.js')).serviceStep,
  (await import('./xinetd-sessions.js')).xinetdSessionsStep,
  (await import('./kill-processes.js')).killProcessesStep,
  (await import('./daemon-reexec.js')).daemonReexecStep,
  (await import('./remediate.js')).remediateStep,
  (await import('./reboot.js')).rebootStep,
] as StepType<never>[];
for (const step of builtIn) registerStep(step);

/** Every registered step, in registration order (the build writes their schemas from these). */
export function allSteps(): StepType<unknown>[] {
  return [...steps.values()] as StepType<unknown>[];
}
