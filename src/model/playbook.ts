import type { SourceRef } from './errors.js';

export type Vars = Record<string, unknown>;

/** A serial value: a count, a percentage such as "30%", or a list of those (the last repeats); strings may be {{ templates }} of play and extra vars. */
export type SerialSpec = number | string | Array<number | string>;

/** How a task repeats: Ansible's `loop` or one of the `with_<lookup>` forms it still reads. */
export type LoopKind = 'loop' | 'with_items' | 'with_list' | 'with_dict' | 'with_indexed_items' | 'with_nested';

export interface Loop {
  kind: LoopKind;
  /** What was written: a list (items may hold {{ templates }}) or one template that yields a list (a mapping for with_dict). */
  items: unknown;
  /** loop_control.loop_var: the item's variable (default item). */
  loopVar: string;
  /** loop_control.index_var: a variable holding the item's 0-based index. */
  indexVar?: string;
  /** loop_control.label: a template shown for each item instead of the item. */
  label?: string;
  /** loop_control.pause: seconds between items (a number or a template). */
  pause?: number | string;
  /** loop_control.extended: the ansible_loop variable (index, first, last, length, previtem…). */
  extended: boolean;
}

export interface Task {
  name: string;
  /** The step type key, e.g. "command", "shell", "assert". */
  type: string;
  /** The step's arguments as written (strings still hold their {{ templates }}). */
  args: unknown;
  /** Expressions, all of which must be true (Ansible's list form of when); a block's come first. */
  when: string[];
  register?: string;
  notify: string[];
  tags: string[];
  ignoreErrors: boolean;
  changedWhen?: string[];
  failedWhen?: string[];
  /** Seconds. */
  timeout?: number;
  retries?: number;
  /** Seconds between retries. */
  delay?: number;
  until?: string[];
  /** Task-level vars (with those of the blocks around it). */
  vars: Vars;
  /** For handlers: the extra names a handler answers to (Ansible's listen). */
  listen: string[];
  /** Run the step once per item (when is evaluated per item). */
  loop?: Loop;
  source: SourceRef;
}

/**
 * A block: its tasks run in order; when one fails on a host, that host runs the rescue tasks (and,
 * when they succeed, is not failed), then the always tasks in any case. The block's when, vars,
 * tags and ignore_errors are already applied to every task inside it.
 */
export interface Block {
  kind: 'block';
  name: string;
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  source: SourceRef;
}

/**
 * include_tasks: a task file read and run when a host reaches it (the file name may be a template,
 * the include may loop and have vars, which its tasks see). import_tasks is resolved when the
 * playbook is loaded and leaves no node: its tasks take its place.
 */
export interface IncludeTasks {
  kind: 'include';
  name: string;
  /** The file as written (may hold {{ templates }}), relative to `dir` (then to the playbook's directory). */
  file: string;
  /** The directory of the file that holds the include. */
  dir: string;
  /** The playbook's directory, where Ansible looks second. */
  playbookDir: string;
  /** The files that led here (the playbook first), to refuse include loops. */
  chain: string[];
  /** The include's own conditions (with those of the blocks around it), evaluated per host and item. */
  when: string[];
  /** What the included tasks take from the blocks around the include (not from the include itself, as Ansible). */
  inherited: Inherited;
  vars: Vars;
  tags: string[];
  ignoreErrors: boolean;
  loop?: Loop;
  /** Set by tag selection: the included tasks are selected with the same tags when they are read. */
  tagFilter?: TagFilter;
  source: SourceRef;
}

/** What a block (or import) hands down to the tasks inside it, besides its vars. */
export interface Inherited {
  /** Conditions that come before the task's own. */
  when: string[];
  tags: string[];
  /** undefined: not set above, the task's own (or false) holds. */
  ignoreErrors?: boolean;
}

/** --tags and --skip-tags with the play's tags, kept to select the tasks of a dynamic include. */
export interface TagFilter {
  playTags: string[];
  only: string[];
  skip: string[];
}

/** What a play's task list holds. */
export type TaskNode = Task | Block | IncludeTasks;

/** A play's health gate (src/engine/health-gate.ts): every part given must pass after a batch before the next starts. */
export interface HealthGate {
  /** A shell command on each active host of the batch; exit 0 passes. */
  command?: string;
  /** A port on each active host of the batch that must accept a TCP connection from the controller. */
  tcp?: number;
  /** A URL fetched from the controller; a 2xx answer passes. */
  http?: string;
  /** Seconds the gate may take to pass (tried every 2 s); default 60. */
  timeout?: number;
}

export interface Play {
  name: string;
  hosts: string;
  category?: 'applications' | 'kernel' | 'shared-libraries' | 'sysv-services' | 'xinetd-services' | 'check' | string;
  /** Play vars, then (winning) those of its vars_files, in order. */
  vars: Vars;
  serial?: SerialSpec;
  /** Percentage 0..100; the batch fails when failed hosts are strictly more than this. */
  maxFailPercentage?: number | string;
  strategy: 'linear' | 'free';
  /** Checked after each batch but the last; the run stops when it does not pass. */
  healthGate?: HealthGate;
  tasks: TaskNode[];
  handlers: Task[];
  tags: string[];
  /**
   * Each host's inventory variables with the group_vars/ and host_vars/ beside this play's playbook
   * applied (Ansible's precedence), when the run read them; absent: the inventory's own.
   */
  hostVars?: ReadonlyMap<string, Vars>;
  source: SourceRef;
}

export interface Playbook {
  file: string;
  plays: Play[];
}

/** A task (not a block nor an include). */
export function isTask(node: TaskNode): node is Task {
  return !('kind' in node);
}

/** Every task of a list, inside blocks too (not the tasks of dynamic includes, read only at run time). */
export function flattenTasks(nodes: TaskNode[]): Task[] {
  return nodes.flatMap((n) => ('kind' in n ? (n.kind === 'block' ? flattenTasks([...n.block, ...n.rescue, ...n.always]) : []) : [n]));
}
