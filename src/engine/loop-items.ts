/**
 * The items of a task's loop, as ansible-core 2.14 computes them: `loop` takes a list; the older
 * `with_<lookup>` forms go through their lookup (items flattens one level, list keeps the list,
 * dict gives {key, value} pairs, indexed_items [index, item] pairs, nested the product of lists).
 * The items are final values (templates in the playbook's list are rendered, values from the host
 * are not) and go into a data layer: an item is never rendered again.
 */
import type { Loop, Vars } from '../model/playbook.js';
import { ExpressionError } from '../model/errors.js';
import { renderDeep, renderTemplate } from '../expr/index.js';

/** A loop whose items are not what its form takes (a string for loop, a list for with_dict). */
export class LoopError extends Error {}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Python's repr-ish text of a value for a message. */
function shown(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function listify(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function flattenOnce(v: unknown[]): unknown[] {
  return v.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

/** Renders the loop's terms with the task's variables and returns its items; throws LoopError or ExpressionError. */
export function loopItems(loop: Loop, vars: object): unknown[] {
  const value = renderDeep(loop.items, vars);
  switch (loop.kind) {
    case 'loop':
      if (!Array.isArray(value)) throw new LoopError(`Invalid data passed to 'loop', it requires a list, got this instead: ${shown(value)}`);
      return value;
    case 'with_items':
      return flattenOnce(listify(value));
    case 'with_list':
      return listify(value);
    case 'with_indexed_items':
      return flattenOnce(listify(value)).map((x, i) => [i, x]);
    case 'with_dict':
      if (!isMapping(value)) throw new LoopError(`with_dict expects a dict, got ${shown(value)}`);
      return Object.entries(value).map(([key, v]) => ({ key, value: v }));
    case 'with_nested':
      return product(listify(value).map(listify));
  }
}

/** The variables one item of a loop sets: the item, its index, ansible_loop when extended. */
export function itemVars(loop: Loop, items: unknown[], i: number): Vars {
  const vars: Vars = { [loop.loopVar]: items[i], ansible_loop_var: loop.loopVar };
  if (loop.indexVar !== undefined) Object.assign(vars, { [loop.indexVar]: i, ansible_index_var: loop.indexVar });
  if (loop.extended) {
    const n = items.length;
    const info: Vars = { index: i + 1, index0: i, first: i === 0, last: i === n - 1, length: n, revindex: n - i, revindex0: n - i - 1, allitems: items };
    if (i > 0) info.previtem = items[i - 1];
    if (i < n - 1) info.nextitem = items[i + 1];
    vars.ansible_loop = info;
  }
  return vars;
}

/** What the output shows for an item: its label (a template) or the item itself. */
export function itemLabel(loop: Loop, item: unknown, vars: object): string {
  if (loop.label === undefined) return shown(item);
  try {
    return shown(renderTemplate(loop.label, vars));
  } catch (err) {
    if (err instanceof ExpressionError) return shown(item);
    throw err;
  }
}

/** The longest pause a Node.js timer can wait (about 23 days), in seconds. */
const MAX_PAUSE = 2_000_000;

/** Seconds to wait between items (0 when none), from a number or a template. */
export function loopPause(loop: Loop, vars: object): number {
  if (loop.pause === undefined) return 0;
  const value = typeof loop.pause === 'string' ? renderTemplate(loop.pause, vars) : loop.pause;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > MAX_PAUSE) throw new LoopError(`loop_control.pause must be a number of seconds from 0 to ${MAX_PAUSE}, got ${shown(value)}`);
  return n;
}
