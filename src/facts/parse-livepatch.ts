/**
 * Live patches in the running kernel, from the probe's "livepatch" section: the kernel's own
 * /sys/kernel/livepatch/NAME/{enabled,transition} (every live patch on kernels since 4.0: kpatch,
 * Canonical Livepatch and SUSE kGraft modules all register there), older kpatch's
 * /sys/kernel/kpatch/patches/NAME/enabled, and the text of `canonical-livepatch status` where the
 * tool is installed (root-owned, at its fixed path). Lines:
 *   klp ENABLED TRANSITION DIR · kpatch ENABLED - DIR · cl TEXT
 */
import type { LivepatchFacts, LivePatch } from './types.js';

const flag = (v: string | undefined): boolean | null => (v === '1' ? true : v === '0' ? false : null);
const base = (dir: string): string => dir.slice(dir.lastIndexOf('/') + 1);

/**
 * Parses the section. `covers` is true when at least one patch is enabled and not in transition: the
 * kernel says a live patch is applied to every task. canonical-livepatch's text is evidence only (the
 * patches it loads appear in /sys/kernel/livepatch too).
 */
export function parseLivepatch(lines: string[]): LivepatchFacts {
  const patches: LivePatch[] = [];
  const canonical: string[] = [];
  for (const line of lines) {
    const m = /^(klp|kpatch) (\S+) (\S+) (.+)$/.exec(line);
    if (m) {
      patches.push({
        name: base(m[4]!),
        source: m[1] === 'klp' ? 'livepatch' : 'kpatch',
        enabled: flag(m[2]) === true,
        transition: flag(m[3]) === true,
      });
      continue;
    }
    if (line.startsWith('cl ')) {
      const text = line.slice(3).trim();
      if (/^(kernel|kernel state|patch state|patch version|fully patched|running)\s*:/i.test(text)) canonical.push(text);
    }
  }
  // kpatch modules on kernels with the livepatch core show up in both places: keep one per name.
  const unique = patches.filter((p, i) => patches.findIndex((q) => q.name === p.name) === i);
  const applied = unique.filter((p) => p.enabled && !p.transition);
  return {
    patches: unique,
    covers: applied.length > 0,
    ...(canonical.length ? { canonicalStatus: canonical } : {}),
    detail: describePatches(unique, canonical),
  };
}

function describePatches(patches: LivePatch[], canonical: string[]): string {
  if (patches.length === 0) return canonical.length ? `no live patch loaded (canonical-livepatch: ${canonical.join('; ')})` : 'no live patch loaded';
  const each = patches.map((p) => `${p.name} (${p.source}, ${p.enabled ? (p.transition ? 'enabled, in transition' : 'enabled') : 'disabled'})`);
  return `${each.join(', ')}${canonical.length ? `; canonical-livepatch: ${canonical.join('; ')}` : ''}`;
}
