/**
 * gather_facts: runs the facts probe in one round trip and reports what still runs old code
 * (effects.stale), whether the host needs a reboot and why (effects.rebootRequired/rebootReasons),
 * and the full HostFacts in data.facts. Read-only, so it runs the same in check mode.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { StepContext, StepType } from './step.js';
import type { FactsAccess, FactsOverrides } from './facts-access.js';
import type { StepResult } from '../model/results.js';
import { UnreachableError } from '../model/errors.js';
import { factsEffects, summarizeFacts } from '../facts/effects.js';
import type { HostFacts } from '../facts/types.js';
import { OrNull, Templated } from './args.js';
import { stepResult } from './result.js';

/** The probe's options, shared with recheck. */
export const GatherFactsOptions = Type.Object({
  core_extra: Type.Optional(Type.Array(Type.String({
    description: 'A package name as rpm or dpkg knows it.',
    pattern: '^[A-Za-z0-9][A-Za-z0-9.+_:-]*$',
  }), {
    description: 'Extra package names that require a reboot when installed after boot, added to the built-in list (rpm: kernel, kernel-core, kernel-rt, glibc, linux-firmware, systemd, dbus, dbus-broker, dbus-daemon, microcode_ctl; dpkg: libc6, systemd, dbus, linux-firmware, intel-microcode, amd64-microcode…). The host var remedy_core_extra adds more.',
  })),
  library_glob: Type.Optional(Type.String({
    description: "Only mapped files matching this glob count as stale, as in the guide's `lsof /lib/libwrap.so*`. A glob without a slash matches the file name; one with a slash also matches across merged /usr (/lib/x also finds /usr/lib/x).",
    minLength: 1,
  })),
  ignore: Type.Optional(Type.Array(Type.String({ description: 'An absolute path prefix or glob.', pattern: '^/' }), {
    description: 'Mapped paths that never count as stale: a prefix, or a glob when it contains * ? or [. Replaces the defaults (/dev/, /tmp/, /var/tmp/, /run/, /var/run/, /proc/, /sys/, /memfd:, /SYSV, /\\[aio] (the AIO ring: a glob, so its bracket is escaped), /drm, /i915, /anon_hugepage, /var/lib/sss/mc/, /var/cache/). The host var remedy_ignore_paths is used when this is absent.',
  })),
  never_restart: Type.Optional(Templated(Type.Array(Type.String({
    description: 'A glob on the unit name with or without .service (e.g. postgresql*).',
    minLength: 1,
  }), {
    description: "Services the playbook never restarts, added to the defaults (dbus, dbus-broker, systemd-logind, getty@*, display and network managers, systemd-journald…): when one runs replaced code the host needs a reboot (reason never-restart, with the unit and its pids). Pass restart_services' never_restart list here too, so the verdict agrees with what it leaves alone. May also be one `{{ template }}` that yields a list.",
    errorMessage: 'never_restart must be a list',
  }), ' (or one {{ template }} that yields a list)')),
}, { additionalProperties: false });

export const GatherFactsArgs = OrNull(GatherFactsOptions, {
  description: 'Runs the read-only facts probe on the host in one round trip: finds processes that still run replaced or deleted code (with their owner: container, systemd unit, init script, xinetd service, login session or user), interpreted programs (Python, Perl, Ruby, PHP, Node, shell) whose script or modules changed after they started (found by reading /proc and the files, never by running an interpreter), the installed and running kernels and the live patches of the running one, core packages installed after boot, /run/reboot-required and never-restart services that run replaced code, and sets the host\'s stale list and reboot verdict (a pending kernel covered by a live patch is kernel-livepatched: the reboot can wait, rebootRequired stays false for it; remedy_facts.kernel.pending still says a newer kernel is installed). Runs the same in check mode. Arguments are optional.',
});
export type GatherFactsArgs = Static<typeof GatherFactsArgs>;

/** The probe's overrides from the step's arguments. */
function overridesOf(a: Static<typeof GatherFactsOptions>): FactsOverrides {
  return {
    coreExtra: a.core_extra ?? [],
    ...(a.library_glob ? { libraryGlob: a.library_glob } : {}),
    ...(a.ignore ? { ignore: a.ignore } : {}),
    ...(a.never_restart?.length ? { neverRestart: a.never_restart } : {}),
  };
}

/**
 * A scan step (gather_facts, recheck): reads the facts with `read` and reports them. `reused` facts were
 * kept from an earlier scan that nothing has changed since: the message says so.
 */
export async function runScan(
  name: string, ctx: StepContext, args: GatherFactsArgs | undefined,
  read: (facts: FactsAccess, o: FactsOverrides) => Promise<{ facts: HostFacts; reused: boolean }>,
): Promise<StepResult> {
  const started = Date.now();
  let scan: { facts: HostFacts; reused: boolean };
  try {
    scan = await read(ctx.facts, overridesOf(args ?? {}));
  } catch (err) {
    if (err instanceof UnreachableError) throw err;
    return stepResult({ status: 'failed', durationMs: Date.now() - started, message: `${name}: ${(err as Error).message}`, cause: 'probe-error' });
  }
  const { facts, reused } = scan;
  const incomplete = facts.unknown.find((u) => u.what === 'probe');
  const kept = reused ? ' (the scan of this host kept from earlier: no step has changed the host since)' : '';
  return stepResult({
    status: incomplete ? 'failed' : 'ok',
    changed: false,
    durationMs: Date.now() - started,
    message: incomplete ? `${name}: ${incomplete.reason}` : `${summarizeFacts(facts)}${kept}`,
    ...(incomplete ? { cause: 'probe-incomplete' } : {}),
    // Later steps read the latest facts through ctx.facts; playbooks through remedy_facts.
    data: { facts, ...(reused ? { reused: true } : {}) },
    effects: factsEffects(facts),
  });
}

export const gatherFactsStep: StepType<GatherFactsArgs | undefined> = {
  name: 'gather_facts',
  args: GatherFactsArgs,
  supportsCheck: true,
  run: (ctx, args) => runScan('gather_facts', ctx, args, async (facts, o) => ({ facts: await facts.refresh(o), reused: false })),
};
