/**
 * A looped task: the step runs once per item (when, changed_when, failed_when and until per
 * item), every item runs even after one failed (as Ansible), and the task's result gathers them:
 * failed when an item failed, skipped when all were, changed when one changed. What `register`
 * stores has Ansible's `results`: each item's result with its loop variables (item, index…).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Loop, Vars } from '../model/playbook.js';
import type { StepEffects, StepResult } from '../model/results.js';
import { stepResult } from '../steps/result.js';
import { itemLabel, itemVars, loopPause } from './loop-items.js';
import { resultView } from './vars.js';

/** Runs one item with its loop variables; the label is for the output. */
export type RunItem = (vars: Vars) => Promise<StepResult>;

function mergeEffects(results: StepResult[]): StepEffects | undefined {
  const all = results.map((r) => r.effects).filter((e): e is StepEffects => e !== undefined);
  if (all.length === 0) return undefined;
  const out: StepEffects = {};
  for (const fx of all) {
    if (fx.restarted) out.restarted = [...(out.restarted ?? []), ...fx.restarted];
    if (fx.killed) out.killed = [...(out.killed ?? []), ...fx.killed];
    if (fx.stale) out.stale = fx.stale;
    if (fx.rebootRequired !== undefined) out.rebootRequired = fx.rebootRequired;
    if (fx.rebootReasons) out.rebootReasons = fx.rebootReasons;
  }
  return out;
}

/**
 * One item's registered result, shaped as Ansible's: the step's result view without `skipped` for
 * an item that ran; for a skipped item only what Ansible's holds (so `selectattr('stdout',
 * 'defined')` picks the items that ran), with remedy's status.
 */
function itemView(result: StepResult): Vars {
  if (result.status !== 'skipped') {
    // An item that ran has no `skipped` field in Ansible (`rejectattr('skipped', 'defined')` keeps it).
    const { skipped: _skipped, ...view } = resultView(result);
    return view;
  }
  const why = result.message?.startsWith('condition false') ? 'Conditional result was False' : result.message ?? '';
  return { status: 'skipped', changed: false, skipped: true, skip_reason: why };
}

/** One line per item: its label, its status and what it said. */
function summary(labels: string[], results: StepResult[]): string {
  return results.map((r, i) => `(item=${labels[i]}) ${r.status}${r.message ? `: ${r.message}` : ''}`).join('\n');
}

/** The result of a loop with no item: skipped, as Ansible's "No items in the list". */
export function emptyLoopResult(): StepResult {
  return stepResult({ status: 'skipped', message: 'No items in the list', data: { results: [], skipped_reason: 'No items in the list' } });
}

/** Runs every item in order (pausing between them) and gathers their results into the task's. */
export async function runLoop(loop: Loop, items: unknown[], scopeFor: (vars: Vars) => object, runItem: RunItem, stop: AbortSignal): Promise<StepResult> {
  if (items.length === 0) return emptyLoopResult();
  const results: StepResult[] = [];
  const views: Vars[] = [];
  const labels: string[] = [];
  for (let i = 0; i < items.length; i++) {
    if (stop.aborted) break;
    const vars = itemVars(loop, items, i);
    const scope = scopeFor(vars);
    if (i > 0) {
      const pause = loopPause(loop, scope);
      if (pause > 0) {
        try { await sleep(pause * 1000, undefined, { signal: stop }); } catch { break; }
      }
    }
    const result = await runItem(vars);
    results.push(result);
    labels.push(itemLabel(loop, items[i], scope));
    views.push({ ...itemView(result), ...vars });
    if (result.status === 'unreachable') break;
  }
  const failed = results.find((r) => r.status === 'failed' || r.status === 'unreachable');
  const status = failed?.status ?? (results.every((r) => r.status === 'skipped') ? 'skipped' : results.some((r) => r.changed) ? 'changed' : 'ok');
  const out: StepResult = {
    ...stepResult({ status, message: summary(labels, results) }),
    changed: results.some((r) => r.changed),
    durationMs: results.reduce((sum, r) => sum + r.durationMs, 0),
    data: { results: views },
  };
  if (failed?.cause) out.cause = failed.cause;
  const facts = results.map((r) => r.facts).filter((f) => f !== undefined);
  if (facts.length > 0) out.facts = Object.assign({}, ...facts) as Vars;
  const effects = mergeEffects(results);
  if (effects) out.effects = effects;
  return out;
}
