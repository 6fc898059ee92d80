export type Flavor = 'systemd' | 'sysv' | 'rhel' | 'rhel-sysv';
export const FLAVORS: Flavor[] = ['systemd', 'sysv', 'rhel', 'rhel-sysv'];

export function isSysv(flavor: Flavor): boolean {
  return flavor === 'sysv' || flavor === 'rhel-sysv';
}
export function isRhel(flavor: Flavor): boolean {
  return flavor === 'rhel' || flavor === 'rhel-sysv';
}

/** The flavour of each of `count` hosts: one flavour, a list (cycled), or 'mixed' (all four, cycled). */
export function assignFlavors(count: number, flavor: Flavor | 'mixed' | Flavor[] = 'systemd'): Flavor[] {
  const cycle = flavor === 'mixed' ? FLAVORS : Array.isArray(flavor) ? flavor : [flavor];
  if (cycle.length === 0) throw new Error('lab: empty flavour list');
  for (const f of cycle) if (!FLAVORS.includes(f)) throw new Error(`lab: unknown flavour "${f}" (${FLAVORS.join(', ')}, mixed)`);
  return Array.from({ length: count }, (_, i) => cycle[i % cycle.length] as Flavor);
}
