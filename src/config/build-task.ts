import type { Inherited, Loop, LoopKind, Task, Vars } from '../model/playbook.js';
import { LOOP_KEYS } from './check-tasks.js';
import { playbookVocabulary } from './schema.js';
import type { YamlFile } from './yaml-file.js';

type Raw = Record<string, unknown>;

/** An expression list: a bool becomes 'true'/'false', a single value a one-item list. */
export function toConditions(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((v) => (typeof v === 'boolean' ? String(v) : String(v).trim()));
}

/** A string or list of strings as a list. */
export function toStringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Tags: a list, or a comma-separated string; trimmed, empties dropped. */
export function toTags(value: unknown): string[] {
  return toStringList(value).flatMap((t) => t.split(',')).map((t) => t.trim()).filter((t) => t !== '');
}

function shorten(text: string, max = 48): string {
  const first = text.trim().split('\n')[0] ?? '';
  const line = first.replace(/\s+/g, ' ').trim();
  if (line.length <= max && !text.trim().includes('\n')) return line;
  if (line.length <= max) return `${line}…`;
  const cut = line.lastIndexOf(' ', max);
  return `${(cut > max / 2 ? line.slice(0, cut) : line.slice(0, max)).trimEnd()}…`;
}

function words(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(String).join(' ');
  return undefined;
}

/** A short summary of a step's arguments, for a default task name. */
export function summarizeArgs(type: string, args: unknown): string {
  if (args === null || args === undefined) return '';
  const direct = words(args);
  if (direct !== undefined) return shorten(direct);
  if (typeof args !== 'object') return shorten(String(args));
  const a = args as Raw;
  for (const key of ['argv', 'script', 'that', 'msg', 'var', 'name', 'names', 'file']) {
    const v = a[key];
    if (key === 'msg' && typeof v !== 'string') continue;
    const w = key === 'that' && Array.isArray(v) ? v.map(String).join(' and ') : words(v);
    if (w !== undefined) return shorten(w);
  }
  if (type === 'set_fact' || Object.keys(a).length > 0) return shorten(Object.keys(a).join(', '));
  return '';
}

/** The default task name: "<step>: <summary>" or just the step. */
export function defaultTaskName(type: string, args: unknown): string {
  const summary = summarizeArgs(type, args);
  return summary === '' ? type : `${type}: ${summary}`;
}

function optionalConditions(value: unknown): string[] | undefined {
  return value === undefined ? undefined : toConditions(value);
}

/** The task's loop (loop or with_*, and loop_control), when it has one. */
export function buildLoop(raw: Raw): Loop | undefined {
  const kind = LOOP_KEYS.find((k) => Object.hasOwn(raw, k)) as LoopKind | undefined;
  if (kind === undefined) return undefined;
  const control = (raw.loop_control ?? {}) as Raw;
  const loop: Loop = { kind, items: raw[kind] ?? [], loopVar: typeof control.loop_var === 'string' ? control.loop_var : 'item', extended: control.extended === true };
  if (typeof control.index_var === 'string') loop.indexVar = control.index_var;
  if (typeof control.label === 'string') loop.label = control.label;
  if (typeof control.pause === 'number' || typeof control.pause === 'string') loop.pause = control.pause;
  return loop;
}

/** A block's or import's keywords joined with those it inherits: conditions first, own vars and tags winning. */
export function inherit(from: Inherited & { vars: Vars }, raw: Raw): Inherited & { vars: Vars } {
  const own: Inherited & { vars: Vars } = {
    when: [...from.when, ...toConditions(raw.when)],
    tags: [...new Set([...from.tags, ...toTags(raw.tags)])],
    vars: { ...from.vars, ...((raw.vars ?? {}) as Vars) },
  };
  const ignore = typeof raw.ignore_errors === 'boolean' ? raw.ignore_errors : from.ignoreErrors;
  if (ignore !== undefined) own.ignoreErrors = ignore;
  return own;
}

/** Builds one step task (or handler) that passed validation, with what the blocks around it hand down. */
export function buildStepTask(yaml: YamlFile, raw: Raw, pointer: string, from: Inherited & { vars: Vars }): Task {
  const { steps } = playbookVocabulary();
  const type = Object.keys(raw).find((k) => steps.includes(k)) ?? '';
  const args = raw[type] ?? null;
  const pos = yaml.positionOf(pointer);
  const own = inherit(from, raw);
  const task: Task = {
    name: typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : defaultTaskName(type, args),
    type,
    args,
    when: own.when,
    notify: toStringList(raw.notify),
    tags: own.tags,
    ignoreErrors: own.ignoreErrors === true,
    vars: own.vars,
    listen: toStringList(raw.listen),
    source: { file: yaml.file, line: pos.line, column: pos.column, pointer },
  };
  if (typeof raw.register === 'string') task.register = raw.register;
  const changedWhen = optionalConditions(raw.changed_when);
  if (changedWhen) task.changedWhen = changedWhen;
  const failedWhen = optionalConditions(raw.failed_when);
  if (failedWhen) task.failedWhen = failedWhen;
  const until = optionalConditions(raw.until);
  if (until) task.until = until;
  if (typeof raw.timeout === 'number') task.timeout = raw.timeout;
  if (typeof raw.retries === 'number') task.retries = raw.retries;
  if (typeof raw.delay === 'number') task.delay = raw.delay;
  const loop = buildLoop(raw);
  if (loop) task.loop = loop;
  return task;
}
