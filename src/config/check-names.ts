/**
 * `remedy validate`'s static check of the variables a playbook reads, across the files it imports
 * and includes. How it decides: a name is defined when the playbook sets it (play vars,
 * vars_files, block, task and include vars, loop variables, register, set_fact anywhere, the
 * group_vars/ and host_vars/ beside the playbook) or remedy does (inventory_hostname, groups,
 * remedy_facts…, ansible_failed_* in a rescue). Any other name could still come from the
 * inventory or -e, which validate cannot know: it is a warning (with "did you mean" when a
 * defined name is close), never a failure. A field read on a registered result that is not
 * one and is close to one (`r.stdotu`) is a warning too. Templated include files are not followed.
 */
import { dirname } from 'node:path';
import type { ConfigProblem } from '../model/errors.js';
import { BLOCK_KEYS, LOOP_KEYS } from './check-tasks.js';
import { expressionArgs, expressionKeywords } from './check-expressions.js';
import { conditionGuards, expressionReferences, templateReferences, type Reference } from './find-references.js';
import { readYamlSync, resolveIncluded } from './read-files.js';
import { playbookVocabulary } from './schema.js';
import { suggestName } from './suggest.js';
import { varNamesBeside } from './vars-names.js';
import { pathToPointer, type YamlFile } from './yaml-file.js';

export interface NameWarning extends ConfigProblem {
  /** The variable the warning is about. */
  name: string;
  /** undefined: no part of the playbook sets it; field: a registered result has no such field. */
  kind: 'undefined' | 'field';
}

type Raw = Record<string, unknown>;

/** What remedy sets for every task (engine/vars.ts), and what Ansible sets that remedy does not. */
const MAGIC = ['inventory_hostname', 'inventory_hostname_short', 'group_names', 'groups', 'ansible_check_mode', 'remedy_check_mode', 'remedy_play', 'remedy_facts'];
const LOOP_VARS = ['ansible_loop', 'ansible_loop_var', 'ansible_index_var'];
const RESCUE_VARS = ['ansible_failed_task', 'ansible_failed_result'];
const ANSIBLE_ONLY = new Set(['hostvars', 'playbook_dir', 'omit', 'inventory_dir', 'inventory_file', 'ansible_play_hosts', 'ansible_play_batch',
  'ansible_play_hosts_all', 'play_hosts', 'role_path', 'role_name', 'ansible_version', 'ansible_run_tags', 'ansible_skip_tags', 'ansible_facts', 'ansible_play_name']);
const FACT_NAME = /^ansible_(distribution|os_family|hostname|fqdn|nodename|kernel|architecture|default_ipv[46]|all_ipv[46]_addresses|memtotal_mb|processor|lsb|pkg_mgr|service_mgr|machine|system|date_time|env|interfaces|mounts|python|virtualization|selinux|devices|uptime)/;
/** The fields of a registered result (engine/vars.ts resultView, and a loop's). */
const RESULT_FIELDS = ['status', 'changed', 'failed', 'skipped', 'unreachable', 'rc', 'exitCode', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines',
  'msg', 'timedOut', 'durationMs', 'attempts', 'results', 'skip_reason', 'skipped_reason', 'item', 'value', 'facts'];

function isMapping(v: unknown): v is Raw {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function keysOf(v: unknown): string[] {
  return isMapping(v) ? Object.keys(v) : [];
}

/** Every string inside a value (map values and list items), with its pointer. */
function* strings(value: unknown, pointer: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [value, pointer];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], `${pointer}/${i}`);
  else if (isMapping(value)) for (const [k, v] of Object.entries(value)) yield* strings(v, `${pointer}${pathToPointer([k])}`);
}

type Visit = (yaml: YamlFile, raw: Raw, pointer: string, scope: Set<string>, taskPointer: string) => void;

class NameChecker {
  readonly defined = new Set<string>(MAGIC);
  readonly registers = new Set<string>();
  readonly warnings: NameWarning[] = [];
  readonly notes: ConfigProblem[] = [];
  private readonly seen = new Set<string>();
  private readonly files = new Map<string, YamlFile | undefined>();

  private read(path: string): YamlFile | undefined {
    if (!this.files.has(path)) this.files.set(path, readYamlSync(path).yaml);
    return this.files.get(path);
  }

  /** Calls visit for every task below a list (blocks, imported and statically included files), with its scope. */
  eachTask(yaml: YamlFile, list: unknown, pointer: string, scope: Set<string>, chain: string[], playbookDir: string, visit: Visit): void {
    if (!Array.isArray(list)) return;
    list.forEach((raw: unknown, i) => {
      if (!isMapping(raw)) return;
      const at = `${pointer}${pathToPointer([i])}`;
      const own = new Set([...scope, ...keysOf(raw.vars)]);
      if (LOOP_KEYS.some((k) => Object.hasOwn(raw, k))) {
        const control = isMapping(raw.loop_control) ? raw.loop_control : {};
        for (const v of [control.loop_var ?? 'item', control.index_var, ...LOOP_VARS]) if (typeof v === 'string') own.add(v);
      }
      visit(yaml, raw, at, own, at);
      for (const key of BLOCK_KEYS) {
        const inner = key === 'rescue' ? new Set([...own, ...RESCUE_VARS]) : own;
        this.eachTask(yaml, raw[key], `${at}/${key}`, inner, chain, playbookDir, visit);
      }
      const file = raw.include_tasks ?? raw.import_tasks;
      const name = typeof file === 'string' ? file : isMapping(file) && typeof file.file === 'string' ? file.file : undefined;
      if (name === undefined || /\{[{%]/.test(name)) return;
      const { path } = resolveIncluded(name, dirname(yaml.file), playbookDir);
      const included = chain.includes(path) ? undefined : this.read(path);
      if (included) this.eachTask(included, included.value, '', own, [...chain, path], playbookDir, visit);
    });
  }

  /** Calls visit for every task of every play (imported playbooks too), each play's scope with its vars. */
  eachPlay(yaml: YamlFile, chain: string[], extra: Set<string>, visit: Visit, onPlay?: (yaml: YamlFile, raw: Raw, pointer: string, scope: Set<string>) => void): void {
    if (!Array.isArray(yaml.value)) return;
    const dir = dirname(yaml.file);
    const beside = varNamesBeside(dir);
    yaml.value.forEach((raw: unknown, p) => {
      if (!isMapping(raw)) return;
      if (typeof raw.import_playbook === 'string') {
        const { path } = resolveIncluded(raw.import_playbook, dir, dir);
        const imported = chain.includes(path) ? undefined : this.read(path);
        if (imported) this.eachPlay(imported, [...chain, path], new Set([...extra, ...keysOf(raw.vars)]), visit, onPlay);
        return;
      }
      const scope = new Set([...this.defined, ...extra, ...beside, ...keysOf(raw.vars)]);
      for (const f of Array.isArray(raw.vars_files) ? raw.vars_files : []) {
        if (typeof f === 'string') for (const k of keysOf(this.read(resolveIncluded(f, dir, dir).path)?.value)) scope.add(k);
      }
      onPlay?.(yaml, raw, pathToPointer([p]), scope);
      for (const section of ['tasks', 'handlers']) this.eachTask(yaml, raw[section], pathToPointer([p, section]), scope, chain, dir, visit);
    });
  }

  /** Pass one: what register and set_fact define anywhere (they outlive their play, so order is not checked). */
  collect: Visit = (_yaml, raw) => {
    if (typeof raw.register === 'string') this.registers.add(raw.register);
    for (const k of [...this.registers, ...keysOf(raw.set_fact)]) this.defined.add(k);
  };

  private report(yaml: YamlFile, pointer: string, refs: Reference[], scope: Set<string>): void {
    for (const ref of refs) {
      if (scope.has(ref.name)) {
        const field = ref.attribute;
        if (field === undefined || !this.registers.has(ref.name) || RESULT_FIELDS.includes(field)) continue;
        const guess = suggestName(field, RESULT_FIELDS);
        if (guess !== undefined) this.warn(yaml, pointer, ref, 'field', `'${ref.name}.${field}': a registered result has no field '${field}' (did you mean '${guess}'?)`);
        continue;
      }
      const guess = suggestName(ref.name, [...scope]);
      const hint = guess !== undefined ? ` (did you mean '${guess}'?)` : '';
      const why = ANSIBLE_ONLY.has(ref.name) || FACT_NAME.test(ref.name)
        ? `Ansible sets it, remedy does not${FACT_NAME.test(ref.name) || ref.name === 'ansible_facts' ? ' (remedy gathers no Ansible facts; its own are in remedy_facts)' : ''}`
        : 'it must come from the inventory or -e';
      this.warn(yaml, pointer, ref, 'undefined', `'${ref.name}' is not defined by the playbook${hint}; ${why}`);
    }
  }

  private warn(yaml: YamlFile, pointer: string, ref: Reference, kind: NameWarning['kind'], message: string): void {
    const key = `${yaml.file}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const pos = yaml.positionInString(pointer, ref.offset);
    this.warnings.push({ file: yaml.file, line: pos.line, column: pos.column, pointer, name: ref.name, kind, message: `warning: ${message}` });
  }

  templates(yaml: YamlFile, value: unknown, pointer: string, scope: Set<string>): void {
    for (const [s, ptr] of strings(value, pointer)) this.report(yaml, ptr, templateReferences(s), scope);
  }

  private conditions(yaml: YamlFile, value: unknown, pointer: string, scope: Set<string>): void {
    const list = (Array.isArray(value) ? value : [value]).map((v, i) => [v, Array.isArray(value) ? `${pointer}/${i}` : pointer] as const)
      .filter((e): e is readonly [string, string] => typeof e[0] === 'string');
    const guards = conditionGuards(list.map(([s]) => s));
    for (const [s, ptr] of list) this.report(yaml, ptr, expressionReferences(s, guards), scope);
  }

  /** Pass two: every expression and template of a task against its scope. */
  check: Visit = (yaml, raw, pointer, scope) => {
    const { steps } = playbookVocabulary();
    this.templates(yaml, raw.vars, `${pointer}/vars`, scope);
    this.conditions(yaml, raw.when, `${pointer}/when`, scope);
    const withResult = new Set([...scope, typeof raw.register === 'string' ? raw.register : 'result']);
    for (const kw of expressionKeywords.filter((k) => k !== 'when')) this.conditions(yaml, raw[kw], `${pointer}/${kw}`, withResult);
    for (const key of [...LOOP_KEYS, 'loop_control', 'include_tasks']) this.templates(yaml, raw[key], `${pointer}/${key}`, scope);
    for (const step of Object.keys(raw).filter((k) => steps.includes(k))) {
      const args = raw[step];
      const at = `${pointer}${pathToPointer([step])}`;
      const asExpression = [...(expressionArgs[step] ?? []), ...(step === 'debug' ? ['var'] : [])];
      if (!isMapping(args)) {
        this.templates(yaml, args, at, scope);
        continue;
      }
      for (const [key, v] of Object.entries(args)) {
        const ptr = `${at}${pathToPointer([key])}`;
        if (asExpression.includes(key)) this.conditions(yaml, v, ptr, scope);
        else this.templates(yaml, v, ptr, scope);
      }
    }
  };

  /** The play's own templates (vars, serial, max_fail_percentage) and its note about gather_facts. */
  play = (yaml: YamlFile, raw: Raw, pointer: string, scope: Set<string>): void => {
    this.templates(yaml, raw.vars, `${pointer}/vars`, scope);
    for (const key of ['serial', 'max_fail_percentage']) this.templates(yaml, raw[key], `${pointer}/${key}`, scope);
    const gather = raw.gather_facts;
    if (gather === true || (typeof gather === 'string' && /^(yes|true|on|1)$/i.test(gather.trim()))) {
      this.notes.push(yaml.problemAt(`${pointer}/gather_facts`, 'note: gather_facts is ignored: remedy gathers its own facts (remedy_facts: '
        + 'stale processes, kernels, reboot hints) with the gather_facts step, or when a step first needs them, since that probe scans '
        + 'every process; Ansible\'s facts (ansible_distribution…) are not set', true));
    }
  };
}

/** Warnings about names a valid playbook reads but does not define, and notes (gather_facts), in file order. */
export function checkPlaybookNames(yaml: YamlFile, known: Iterable<string> = []): { warnings: NameWarning[]; notes: ConfigProblem[] } {
  const checker = new NameChecker();
  for (const k of known) checker.defined.add(k);
  const chain = [yaml.file];
  checker.eachPlay(yaml, chain, new Set(), checker.collect);
  checker.eachPlay(yaml, chain, new Set(), checker.check, checker.play);
  return { warnings: checker.warnings, notes: checker.notes };
}
