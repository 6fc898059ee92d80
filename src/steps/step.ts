import type { Transport } from '../transport/transport.js';
import type { StepResult } from '../model/results.js';
import type { Vars } from '../model/playbook.js';
import type { ConnectionSpec } from '../model/inventory.js';
import type { FactsAccess, HostOptions } from './facts-access.js';
import type { TSchema } from '@sinclair/typebox';

export interface StepContext {
  host: string;
  connection: ConnectionSpec;
  transport: Transport;
  /** Every variable visible to this task: a VarScope from the engine (or a plain mapping); read it with readVariable or the expression functions. */
  vars: object;
  /** The host's facts: gathered once, kept, refreshed by the steps that re-scan. */
  facts: FactsAccess;
  /** The host's typed remedy_* settings. */
  options: HostOptions;
  check: boolean;
  /** Seconds, from the task's timeout. */
  timeout?: number;
  signal: AbortSignal;
  /** Optional note for the live view while a long step runs. */
  progress?: (message: string) => void;
}

/**
 * A step type: validated arguments in (templated by the engine), a StepResult value out.
 * Its arguments are declared once, in its file, with TypeBox (A is Static<typeof args>): the build
 * writes schemas/steps/<name>.schema.json from them (schema-files.ts), and the engine checks the
 * rendered arguments against them before run (check-args.ts).
 */
export interface StepType<A = unknown> {
  name: string;
  /** The arguments' declaration (args.ts: Templated marks fields a playbook may write as a {{ template }}). */
  args: TSchema;
  /** False when the step cannot predict its outcome: in check mode it is reported "skipped (check mode)". */
  supportsCheck: boolean;
  /** Keys of args whose strings must NOT be templated before run (e.g. assert's `that`, expressions). */
  rawArgs?: string[];
  run(ctx: StepContext, args: A): Promise<StepResult>;
}
