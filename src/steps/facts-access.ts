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
  /**
   * The facts as the host is now: the kept ones when they were read with the same settings and nothing
   * may have changed the host since (see markChanged), otherwise gathered again. `reused` says which.
   */
  current(overrides?: FactsOverrides): Promise<{ facts: HostFacts; reused: boolean }>;
  /** The host may have changed since the kept facts were read: the next current() gathers again. */
  markChanged(): void;
}

/**
 * Where one host's facts are kept between steps, with the never-restart list a step last judged them
 * by (gather_facts' or restart_services' never_restart): later scans that name none keep using it, so
 * that recheck's verdict agrees with what restart_services left alone.
 */
export interface FactsStore {
  facts?: HostFacts;
  neverRestart?: { neverRestart: string[]; replaceDefaults: boolean };
  /** How many scans the store has kept: the engine compares it around a step to see whether the step read the host again. */
  scans?: number;
  /** The probe and parse settings the kept facts were read with (a key; never-restart is judged apart). */
  readWith?: string;
  /** A step may have changed the host since the kept facts were read. */
  changed?: boolean;
}

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
  const settings = (overrides: FactsOverrides) => {
    const ignore = overrides.ignore ?? options.ignorePaths;
    return {
      coreExtra: [...(overrides.coreExtra ?? []), ...options.coreExtra],
      ...(overrides.libraryGlob ? { libraryGlob: overrides.libraryGlob } : {}),
      ...(ignore ? { ignore } : {}),
    };
  };
  const refresh = async (overrides: FactsOverrides = {}): Promise<HostFacts> => {
    remember(overrides);
    const never = store.neverRestart;
    const read = settings(overrides);
    store.facts = await gatherFacts(transport, {
      ...read,
      ...(never?.neverRestart.length ? { neverRestart: never.neverRestart } : {}),
      ...(never?.replaceDefaults ? { replaceDefaults: true } : {}),
      ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
    });
    store.scans = (store.scans ?? 0) + 1;
    store.readWith = JSON.stringify(read);
    store.changed = false;
    return store.facts;
  };
  const judge = (never: NeverRestartOptions): HostFacts | undefined => {
    remember(never);
    if (!store.facts) return undefined;
    const v = verdictOf(store.facts, store.neverRestart ?? {});
    store.facts = { ...store.facts, rebootRequired: v.rebootRequired, rebootReasons: v.reasons };
    return store.facts;
  };
  const current = async (overrides: FactsOverrides = {}): Promise<{ facts: HostFacts; reused: boolean }> => {
    const unknown = store.facts?.unknown.some((u) => u.what === 'probe' || u.what === 'processes');
    if (!store.facts || store.changed || unknown || store.readWith !== JSON.stringify(settings(overrides))) {
      return { facts: await refresh(overrides), reused: false };
    }
    remember(overrides);
    return { facts: judge(store.neverRestart ?? {}) ?? store.facts, reused: true };
  };
  return {
    peek: () => store.facts,
    get: async () => store.facts ?? refresh(),
    refresh,
    judge,
    current,
    markChanged: () => { store.changed = true; },
  };
}
