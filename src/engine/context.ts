import type { Inventory, ConnectionSpec } from '../model/inventory.js';
import type { Vars } from '../model/playbook.js';
import type { EventListener } from '../model/events.js';
import type { Transport } from '../transport/transport.js';

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
}
