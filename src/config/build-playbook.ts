import type { Play, Playbook, SerialSpec, Task, Vars } from '../model/playbook.js';
import { playbookVocabulary } from './schema.js';
import { pathToPointer, type YamlFile } from './yaml-file.js';

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
  for (const key of ['argv', 'script', 'that', 'msg', 'var', 'name', 'names']) {
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

function buildTask(yaml: YamlFile, raw: Raw, pointer: string): Task {
  const { steps } = playbookVocabulary();
  const type = Object.keys(raw).find((k) => steps.includes(k)) ?? '';
  const args = raw[type] ?? null;
  const pos = yaml.positionOf(pointer);
  const task: Task = {
    name: typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : defaultTaskName(type, args),
    type,
    args,
    when: toConditions(raw.when),
    notify: toStringList(raw.notify),
    tags: toTags(raw.tags),
    ignoreErrors: raw.ignore_errors === true,
    vars: (raw.vars ?? {}) as Vars,
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
  return task;
}

function buildPlay(yaml: YamlFile, raw: Raw, index: number): Play {
  const pointer = pathToPointer([index]);
  const hosts = Array.isArray(raw.hosts) ? raw.hosts.map(String).join(',') : String(raw.hosts);
  const pos = yaml.positionOf(pointer);
  const section = (key: 'tasks' | 'handlers'): Task[] =>
    (Array.isArray(raw[key]) ? (raw[key] as Raw[]) : []).map((t, i) => buildTask(yaml, t, pathToPointer([index, key, i])));
  const play: Play = {
    name: typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : hosts,
    hosts,
    vars: (raw.vars ?? {}) as Vars,
    strategy: raw.strategy === 'free' ? 'free' : 'linear',
    tasks: section('tasks'),
    handlers: section('handlers'),
    tags: toTags(raw.tags),
    source: { file: yaml.file, line: pos.line, column: pos.column, pointer },
  };
  if (typeof raw.category === 'string') play.category = raw.category;
  if (raw.serial !== undefined && raw.serial !== null) play.serial = raw.serial as SerialSpec;
  if (typeof raw.max_fail_percentage === 'number' || typeof raw.max_fail_percentage === 'string') play.maxFailPercentage = raw.max_fail_percentage;
  return play;
}

/** Builds the model from a playbook that passed validation (see playbookProblems). */
export function buildPlaybook(yaml: YamlFile): Playbook {
  const plays = (yaml.value as Raw[]).map((p, i) => buildPlay(yaml, p, i));
  return { file: yaml.file, plays };
}
