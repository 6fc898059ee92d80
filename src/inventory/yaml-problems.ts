import { didYouMean } from '../config/suggest.js';
import { pointerToPath } from '../config/yaml-file.js';
import type { ConfigProblem } from '../model/errors.js';

/** How schema problems in a YAML inventory are said: in words about groups, hosts and vars. */

const groupKeys = ['hosts', 'vars', 'children'] as const;

type Place = { kind: 'root' } | { kind: 'group' | 'hosts' | 'vars' | 'children'; group: string } | { kind: 'host'; host: string; group: string } | { kind: 'other' };

/** What the node at a JSON pointer is in the inventory's shape. */
function placeOf(pointer: string): Place {
  let place: Place = { kind: 'root' };
  for (const seg of pointerToPath(pointer)) {
    switch (place.kind) {
      case 'root':
      case 'children':
        place = { kind: 'group', group: seg };
        break;
      case 'group':
        place = seg === 'hosts' || seg === 'vars' || seg === 'children' ? { kind: seg, group: place.group } : { kind: 'other' };
        break;
      case 'hosts':
        place = { kind: 'host', host: seg, group: place.group };
        break;
      default:
        place = { kind: 'other' };
    }
  }
  return place;
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `the ${typeof v} ${JSON.stringify(v)}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const seg of pointerToPath(pointer)) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  return cur;
}

/** Rewrites the schema's generic sentences into ones that speak of groups, hosts and vars. */
export function explainProblem(p: ConfigProblem, root: unknown): ConfigProblem {
  const pointer = p.pointer ?? '';
  const place = placeOf(pointer);
  const got = typeName(valueAt(root, pointer));
  const listHint = (what: string) => (Array.isArray(valueAt(root, pointer)) ? ` (write '${what}:' on its own line for each, not '- ${what}')` : '');
  if (p.message.startsWith('unknown key')) {
    const key = pointerToPath(pointer).at(-1) ?? '';
    const group = placeOf(pointer.slice(0, pointer.lastIndexOf('/')));
    const owner = group.kind === 'group' ? ` in group '${group.group}'` : '';
    return { ...p, message: `unknown key '${key}'${owner}: a group has only hosts, vars and children${didYouMean(key, groupKeys)}` };
  }
  if (!p.message.startsWith('expected ')) return p;
  switch (place.kind) {
    case 'root':
      return { ...p, message: got === 'nothing' ? "the inventory is empty: expected a mapping of groups, usually 'all:'" : `an inventory is a mapping of groups (usually 'all:'), got ${got}` };
    case 'group':
      if (pointer === '/plugin') return { ...p, message: "inventory plugins ('plugin:') are not supported: export the inventory with ansible-inventory -i FILE --list --yaml" };
      return { ...p, message: `group '${place.group}' must be a mapping with hosts, vars or children (or nothing), got ${got}` };
    case 'hosts':
      return { ...p, message: `hosts of group '${place.group}' must be a mapping of host names, got ${got}${listHint('web1')}` };
    case 'children':
      return { ...p, message: `children of group '${place.group}' must be a mapping of group names, got ${got}${listHint('web')}` };
    case 'vars':
      return { ...p, message: `vars of group '${place.group}' must be a mapping of name: value, got ${got}` };
    case 'host':
      return { ...p, message: `vars of host '${place.host}' in group '${place.group}' must be a mapping of name: value (or nothing), got ${got}` };
    default:
      return p;
  }
}
