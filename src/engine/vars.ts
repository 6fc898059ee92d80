import type { Inventory } from '../model/inventory.js';
import type { Play, Task, Vars } from '../model/playbook.js';
import type { StepResult } from '../model/results.js';
import { renderDeep } from '../expr/index.js';
import type { HostState } from './host-state.js';

const MAX_PASSES = 5;

function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value && typeof value === 'object') return Object.values(value).some(hasTemplate);
  return false;
}

/**
 * Vars may refer to other vars ("{{ base_dir }}/bin"). Render them against each other until nothing
 * changes; a var whose template cannot be rendered yet is left as written, and only fails when a
 * task really uses it (Ansible's lazy rule).
 */
export function resolveVars(vars: Vars): Vars {
  const out: Vars = { ...vars };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = false;
    for (const [key, value] of Object.entries(out)) {
      if (!hasTemplate(value)) continue;
      try {
        const rendered = renderDeep(value, out);
        if (JSON.stringify(rendered) !== JSON.stringify(value)) { out[key] = rendered; changed = true; }
      } catch { /* left as written */ }
    }
    if (!changed) break;
  }
  return out;
}

/** The `groups` magic variable: every group name with its hosts, in inventory order. Built once per run. */
export function groupMembers(inventory: Inventory): Record<string, string[]> {
  const groups: Record<string, string[]> = { all: inventory.hosts.map((h) => h.name) };
  for (const h of inventory.hosts) {
    for (const g of h.groups) if (g !== 'all') (groups[g] ??= []).push(h.name);
  }
  return groups;
}

/** Variables every task can see, from weakest to strongest: inventory, play, task, facts, -e. */
export function taskVars(state: HostState, play: Play, task: Task, groups: Record<string, string[]>, extraVars: Vars, check: boolean): Vars {
  const magic: Vars = {
    inventory_hostname: state.host.name,
    inventory_hostname_short: state.host.name.split('.')[0],
    group_names: state.host.groups.filter((g) => g !== 'all' && g !== 'ungrouped'),
    groups,
    ansible_check_mode: check,
    remedy_check_mode: check,
    remedy_play: play.name,
  };
  return resolveVars({ ...magic, ...state.host.vars, ...play.vars, ...task.vars, ...state.facts, ...extraVars });
}

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** What `register` stores: the result's fields under Ansible's names too (rc, stdout_lines, msg…). */
export function resultView(result: StepResult): Vars {
  return {
    ...result.data,
    status: result.status,
    changed: result.changed,
    failed: result.status === 'failed',
    skipped: result.status === 'skipped',
    unreachable: result.status === 'unreachable',
    rc: result.exitCode ?? null,
    exitCode: result.exitCode ?? null,
    // Ansible strips the final newline of stdout and stderr; templates such as "{{ r.stdout }}" expect it.
    stdout: result.stdout.replace(/\n$/, ''),
    stderr: result.stderr.replace(/\n$/, ''),
    stdout_lines: lines(result.stdout),
    stderr_lines: lines(result.stderr),
    msg: result.message ?? '',
    timedOut: result.timedOut ?? false,
    durationMs: result.durationMs,
    attempts: result.attempts ?? 1,
  };
}
