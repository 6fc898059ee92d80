import type { Inventory, ConnectionSpec } from '../model/inventory.js';
import type { Vars } from '../model/playbook.js';
import type { EventListener } from '../model/events.js';
import type { RunStop } from '../model/results.js';
import type { Transport } from '../transport/transport.js';
import type { HostState } from './host-state.js';
import type { RunLocks } from './connect.js';
import type { RunWindow } from './window.js';

/** What every part of a run shares; built once by runPlaybooks. */
export interface EngineContext {
  inventory: Inventory;
  /** The `groups` magic variable, computed once from the inventory. */
  groups: Record<string, string[]>;
  extraVars: Vars;
  check: boolean;
  emit: EventListener;
  /** Aborted on the first interrupt: start nothing new. */
  stop: AbortSignal;
  /** Aborted on a second interrupt: running steps end their commands too. */
  kill: AbortSignal;
  transportFor(spec: ConnectionSpec): Transport;
  /** Every host of the run (the failure budget counts over all of them). */
  states: HostState[];
  /** --deadline and --max-fail. */
  window: RunWindow;
  /** Set once the run stops starting work before every host was reached (window.ts). */
  stopped?: RunStop;
  /** Present when the run takes host locks (a run that may change hosts). */
  locks?: RunLocks;
  /** Called after each batch (its handlers included): ends the connections of hosts whose work is done. */
  endBatch?(batch: HostState[]): Promise<void>;
}
