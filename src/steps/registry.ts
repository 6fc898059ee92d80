import type { StepType } from './step.js';
import { assertStep } from './assert.js';
import { commandStep } from './command.js';
import { debugStep } from './debug.js';
import { failStep } from './fail.js';
import { setFactStep } from './set-fact.js';
import { shellStep } from './shell.js';
import { gatherFactsStep } from './gather-facts.js';
import { serviceStep } from './service.js';
import { xinetdSessionsStep } from './xinetd-sessions.js';
import { killProcessesStep } from './kill-processes.js';
import { daemonReexecStep } from './daemon-reexec.js';
import { restartServicesStep } from './restart-services.js';
import { recheckStep } from './recheck.js';
import { rebootStep } from './reboot.js';

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

/** In the order playbook.schema.json lists them (and messages name them): one line per step. */
const builtIn = [
  commandStep, shellStep, assertStep, setFactStep, debugStep, failStep,
  gatherFactsStep, recheckStep, restartServicesStep, serviceStep, xinetdSessionsStep, killProcessesStep, daemonReexecStep,
  rebootStep,
];
for (const step of builtIn) {
  registerStep(step as StepType<never>);
}

/** Every registered step, in registration order (the build writes their schemas from these). */
export function allSteps(): StepType<unknown>[] {
  return [...steps.values()] as StepType<unknown>[];
}
