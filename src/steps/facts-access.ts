/**
 * How steps read a host's facts: one typed HostFacts per host, gathered once (the probe, one round trip)
 * and kept, gathered again when a step changed the host and asks for a re-scan. The engine keeps the
 * store in its host state; playbooks see the same value as the read-only variable `remedy_facts`.
 */
import { gatherFacts } from '../facts/gather.js';
import type { NeverRestartOptions } from '../facts/never-restart.js';
import { verdictOf } from '../facts/reboot-verdict.js';
import type { HostFacts } from '../facts/types.js';
import type { Transport } from '../transport/transport.js';

/** Host-wide probe settings, from the host's variables (remedy_core_extra, remedy_ignore_paths, …). */
export interface HostOptions {
  /** Extra core package names: installed after boot, they require a reboot (remedy_core_extra). */
  coreExtra: string[];
  /** Path prefixes or globs to ignore instead of the defaults (remedy_ignore_paths). */
  ignorePaths?: string[];
  /** remedy_allow_local_reboot: the local connection may be rebooted when a reboot step is forced. */
  allowLocalReboot: boolean;
}

/** A scan's own settings (gather_facts and recheck arguments), over the host's. */
export interface FactsOverrides {
  coreExtra?: string[];
  libraryGlob?: string;
  ignore?: string[];
  /** Services never restarted (added to the defaults, or replacing them): stale, they make the host need a reboot. */
  neverRestart?: string[];
  replaceDefaults?: boolean;
}

export interface FactsAccess {
  /** The latest facts, without gathering (undefined before the first scan). */
  peek(): HostFacts | undefined;
  /** The latest facts; gathered now (and kept) when there are none yet. */
  get(): Promise<HostFacts>;
  /** Gathers the facts again and keeps them (after a change, or a scan with its own settings). */
  refresh(overrides?: FactsOverrides): Promise<HostFacts>;
  /**
   * Judges the kept facts' reboot verdict again with a never-restart list (restart_services' own), and
   * keeps the list for later scans; no host access. Returns the facts as now kept.
   */
  judge(never: NeverRestartOptions): HostFacts | undefined;
}

/**
 * Where one host's facts are kept between steps, with the never-restart list a step last judged them
 * by (gather_facts' or restart_services' never_restart): later scans that name none keep using it, so
 * that recheck's verdict agrees with what restart_services left alone.
 */
export interface FactsStore { facts?: HostFacts; neverRestart?: { neverRestart: string[]; replaceDefaults: boolean } }

export const NO_HOST_OPTIONS: HostOptions = { coreExtra: [], allowLocalReboot: false };

export function createFactsAccess(
  transport: Transport,
  options: HostOptions,
  run: { timeoutMs?: number; signal?: AbortSignal },
  store: FactsStore = {},
): FactsAccess {
  const remember = (never: NeverRestartOptions): void => {
    if (never.neverRestart?.length || never.replaceDefaults) {
      store.neverRestart = { neverRestart: never.neverRestart ?? [], replaceDefaults: never.replaceDefaults === true };
    }
  };
  const refresh = async (overrides: FactsOverrides = {}): Promise<HostFacts> => {
    const ignore = overrides.ignore ?? options.ignorePaths;
    remember(overrides);
    const never = store.neverRestart;
    store.facts = await gatherFacts(transport, {
      coreExtra: [...(overrides.coreExtra ?? []), ...options.coreExtra],
      ...(overrides.libraryGlob ? { libraryGlob: overrides.libraryGlob } : {}),
      ...(ignore ? { ignore } : {}),
      ...(never?.neverRestart.length ? { neverRestart: never.neverRestart } : {}),
      ...(never?.replaceDefaults ? { replaceDefaults: true } : {}),
      ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
    });
    return store.facts;
  };
  const judge = (never: NeverRestartOptions): HostFacts | undefined => {
    remember(never);
    if (!store.facts) return undefined;
    const v = verdictOf(store.facts, store.neverRestart ?? {});
    store.facts = { ...store.facts, rebootRequired: v.rebootRequired, rebootReasons: v.reasons };
    return store.facts;
  };
  return {
    peek: () => store.facts,
    get: async () => store.facts ?? refresh(),
    refresh,
    judge,
  };
}
