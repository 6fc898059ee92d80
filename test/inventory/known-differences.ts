/**
 * The differences from ansible-core 2.14 that remain on purpose, each with its reason. The
 * differential suite explains every disagreement it finds by exactly one of these, and fails on
 * any other; each difference must also be seen at least once (unless it depends on chance), so a
 * stale entry fails too.
 */
export interface KnownDifference {
  id: string;
  reason: string;
  /** Seen only in some runs (Ansible's own order varies). */
  byChance?: boolean;
}

export const knownDifferences: KnownDifference[] = [
  {
    id: 'integral-float',
    reason: 'JavaScript has one number type: a float with an integral value (1.0e+3 in YAML, 1e3 in INI, 1e1 in JSON) is the number 1000, printed 1000 where Python prints 1000.0. Its value is the same; only its printing in JSON and templates differs.',
  },
  {
    id: 'no-part-matches',
    reason: 'A host pattern none of whose parts matches a host or group (a typo) is an error in remedy; Ansible warns "Could not match supplied host pattern" and selects no host (ansible-playbook skips the play), or, for a pattern of exclusions only (!typo), every host.',
  },
  {
    id: 'subscript-out-of-range-adhoc',
    reason: 'g[5] of a group of 3 hosts is an error in remedy, as in ansible-playbook and with --limit ("No hosts matched the subscripted pattern"); only `ansible PATTERN` (ad hoc) turns that error into "No hosts matched, nothing to do".',
  },
  {
    id: 'mixed-separators',
    reason: "A comma-separated part that holds ':' (web:&db,app) is matched by Ansible as one name, which matches nothing (a warning, the part ignored); remedy refuses it and asks for one separator, since the author surely meant two patterns.",
  },
  {
    id: 'implicit-localhost',
    reason: "Ansible adds an implicit localhost when a pattern names localhost and the inventory has none; remedy adds none (the pattern matches nothing): list localhost with 'ansible_connection: local' to run there.",
  },
  {
    id: 'merge-key-override-warning',
    reason: 'Ansible warns "found a duplicate dict key" for a key written beside a merge key (<<: *defaults, then delay: 10), the way YAML documents overriding a merged value; both keep the value written last, remedy without a warning.',
  },
  {
    id: 'set-order',
    reason: 'Ansible orders the hosts two or more group levels below a group by iterating a Python set of group objects, so that order changes between its runs; remedy takes each level in the order the groups were listed, one of the orders Ansible gives (the reference is also run with that order pinned, and must agree exactly then).',
    byChance: true,
  },
];

export function knownDifference(id: string): KnownDifference {
  const d = knownDifferences.find((k) => k.id === id);
  if (!d) throw new Error(`no known difference '${id}'`);
  return d;
}
