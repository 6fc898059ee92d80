/**
 * include_tasks on one host: its loop items and `when` (per item), the file name rendered with the
 * host's variables, the file read (once per include and file, for every host) and checked; each
 * item that passes becomes one inclusion, whose tasks see the item. The include is a step of its
 * own in the report: ok ("included: FILE"), skipped, or failed with both files named.
 */
import type { ConfigProblem } from '../model/errors.js';
import { ExpressionError, formatProblem } from '../model/errors.js';
import type { IncludeTasks, Play, TaskNode, Vars } from '../model/playbook.js';
import type { StepResult } from '../model/results.js';
import { evaluateCondition, renderTemplate, type VarLayer } from '../expr/index.js';
import { placeOf, readTaskFile, resolveIncluded } from '../config/index.js';
import { stepResult } from '../steps/result.js';
import type { EngineContext } from './context.js';
import { type HostState, recordStep } from './host-state.js';
import { itemLabel, itemVars, LoopError, loopItems } from './loop-items.js';
import { selectIncluded } from './tags.js';
import { taskScope } from './vars.js';

/** One file a host includes, with the loop variables of its item. */
export interface Inclusion {
  path: string;
  nodes: TaskNode[];
  vars?: Vars;
}

const cache = new WeakMap<IncludeTasks, Map<string, { nodes?: TaskNode[]; problems: ConfigProblem[] }>>();

/** The include's file as nodes (read once per include and path), or the problems that stop it. */
function readIncluded(include: IncludeTasks, path: string, tried: string[]): { nodes?: TaskNode[]; problems: ConfigProblem[] } {
  let byPath = cache.get(include);
  if (!byPath) cache.set(include, (byPath = new Map()));
  const hit = byPath.get(path);
  if (hit) return hit;
  const problems: ConfigProblem[] = [];
  const nodes = readTaskFile(path, tried, 'included', { ...include.source, pointer: `${include.source.pointer ?? ''}/include_tasks` }, include.chain, include.playbookDir,
    { ...include.inherited, vars: include.vars }, problems);
  const read = problems.length > 0 || !nodes ? { problems } : { nodes: selectIncluded(nodes, include.tagFilter), problems };
  byPath.set(path, read);
  return read;
}

function failure(include: IncludeTasks, message: string, cause: 'config' | 'expression' | 'undefined-variable' = 'config'): StepResult {
  return stepResult({ status: 'failed', cause, message: `${placeOf(include.source)}: ${include.name}: ${message}` });
}

/**
 * What one host includes (in item order) and the include's own result. A file that cannot be read
 * or is not valid fails the host even under ignore_errors (`fatal`: as Ansible, where ignore_errors
 * covers the include task, not the loading of its file).
 */
function planInclusions(state: HostState, include: IncludeTasks, play: Play, ctx: EngineContext, layers: readonly VarLayer[]): { result: StepResult; inclusions: Inclusion[]; fatal?: boolean } {
  const scopeFor = (vars?: Vars) => taskScope(state, play, include, ctx.groups, ctx.extraVars, ctx.check, layers, vars);
  const inclusions: Inclusion[] = [];
  const lines: string[] = [];
  try {
    const items = include.loop ? loopItems(include.loop, scopeFor()) : [undefined];
    for (let i = 0; i < items.length; i++) {
      const vars = include.loop ? itemVars(include.loop, items, i) : undefined;
      const scope = scopeFor(vars);
      const label = include.loop ? ` (item=${itemLabel(include.loop, items[i], scope)})` : '';
      if (!include.when.every((w) => evaluateCondition(w, scope))) {
        lines.push(`skipped${label}: condition false`);
        continue;
      }
      const rendered = renderTemplate(include.file, scope);
      const { path, tried } = resolveIncluded(String(rendered), include.dir, include.playbookDir);
      const read = readIncluded(include, path, tried);
      // The problems name the included file and the include (file:line:column of both).
      if (!read.nodes) return { result: stepResult({ status: 'failed', cause: 'config', message: read.problems.map(formatProblem).join('\n') }), inclusions: [], fatal: true };
      inclusions.push({ path, nodes: read.nodes, ...(vars ? { vars } : {}) });
      lines.push(`included: ${path}${label}`);
    }
  } catch (err) {
    if (err instanceof ExpressionError) return { result: failure(include, `${err.message} (in: ${err.expression})`, /undefined variable/.test(err.message) ? 'undefined-variable' : 'expression'), inclusions: [] };
    if (err instanceof LoopError) return { result: failure(include, err.message), inclusions: [] };
    throw err;
  }
  const status = inclusions.length > 0 ? 'ok' : 'skipped';
  const message = include.loop && lines.length === 0 ? 'No items in the list' : lines.join('\n');
  return { result: stepResult({ status, message }), inclusions };
}

/** Evaluates an include on one host, records it as a step and returns what the host includes. */
export function includeOnHost(state: HostState, include: IncludeTasks, play: Play, ctx: EngineContext, layers: readonly VarLayer[]): Inclusion[] {
  ctx.emit({ type: 'task-start', play: play.name, host: state.host.name, task: include.name, handler: false });
  const { result, inclusions, fatal } = planInclusions(state, include, play, ctx, layers);
  const ignored = result.status === 'failed' && include.ignoreErrors && !fatal;
  if (result.status === 'failed' && !ignored) state.failed = true;
  recordStep(state, play.name, include.name, result, ignored);
  ctx.emit({ type: 'task-result', play: play.name, host: state.host.name, task: include.name, handler: false, result });
  return inclusions;
}
