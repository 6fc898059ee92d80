import type { Inventory } from '../model/inventory.js';
import type { Play, Task, Vars } from '../model/playbook.js';
import type { StepResult } from '../model/results.js';
import { VarScope, type VarLayer } from '../expr/index.js';
import { hostsOfGroup, withoutSecrets } from '../inventory/index.js';
import type { HostState } from './host-state.js';

/** The `groups` magic variable: every group name with its hosts, in Ansible's order. Built once per run. */
export function groupMembers(inventory: Inventory): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const name of ['all', ...inventory.groups.keys()]) groups[name] = hostsOfGroup(inventory, name).map((h) => h.name);
  return groups;
}

/** The read-only variable that shows playbooks the host's latest facts. */
export const FACTS_VAR = 'remedy_facts';

/**
 * The variables a task sees, from weakest to strongest: magic variables, inventory, play, task, what
 * earlier tasks stored on the host (set_fact, register, facts), -e. Inventory, play, task and -e vars are
 * template source, rendered when read; what the host and the steps produced is data, never rendered.
 * Connection secrets are not variables at all (they live in the connection settings). `included` are
 * the layers an include_tasks hands its tasks (its loop item, data), between the play's vars and the
 * task's (which hold the include's vars); `loopVars` (the task's own item, data) is above everything,
 * as Ansible sets the loop variable last.
 */
export function taskScope(state: HostState, play: Play, task: Pick<Task, 'vars'>, groups: Record<string, string[]>, extraVars: Vars, check: boolean,
  included: readonly VarLayer[] = [], loopVars?: Vars): VarScope {
  const magic: Vars = {
    inventory_hostname: state.host.name,
    inventory_hostname_short: state.host.name.split('.')[0],
    group_names: state.host.groups.filter((g) => g !== 'all' && g !== 'ungrouped'),
    groups,
    ansible_check_mode: check,
    remedy_check_mode: check,
    remedy_play: play.name,
  };
  return new VarScope([
    { kind: 'data', vars: magic },
    { kind: 'source', vars: withoutSecrets(play.hostVars?.get(state.host.name) ?? state.host.vars) },
    { kind: 'source', vars: play.vars },
    ...included,
    { kind: 'source', vars: task.vars },
    { kind: 'data', vars: state.data },
    // Above set_fact and register, which cannot shadow it (both refuse the name).
    { kind: 'data', vars: state.facts ? { [FACTS_VAR]: state.facts } : {} },
    { kind: 'source', vars: withoutSecrets(extraVars) },
    ...(loopVars ? [{ kind: 'data' as const, vars: loopVars }] : []),
  ]);
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
