import type { SourceRef } from './errors.js';

export type Vars = Record<string, unknown>;

/** A serial value: a count, a percentage such as "30%", or a list of those (the last repeats); strings may be {{ templates }} of play and extra vars. */
export type SerialSpec = number | string | Array<number | string>;

export interface Task {
  name: string;
  /** The step type key, e.g. "command", "shell", "assert". */
  type: string;
  /** The step's arguments as written (strings still hold their {{ templates }}). */
  args: unknown;
  /** Expressions, all of which must be true (Ansible's list form of when). */
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
  /** Task-level vars. */
  vars: Vars;
  /** For handlers: the extra names a handler answers to (Ansible's listen). */
  listen: string[];
  source: SourceRef;
}

export interface Play {
  name: string;
  hosts: string;
  category?: 'applications' | 'kernel' | 'shared-libraries' | 'sysv-services' | 'xinetd-services' | 'check' | string;
  vars: Vars;
  serial?: SerialSpec;
  /** Percentage 0..100; the batch fails when failed hosts are strictly more than this. */
  maxFailPercentage?: number | string;
  strategy: 'linear' | 'free';
  tasks: Task[];
  handlers: Task[];
  tags: string[];
  source: SourceRef;
}

export interface Playbook {
  file: string;
  plays: Play[];
}
