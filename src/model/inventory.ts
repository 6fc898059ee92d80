import type { Vars } from './playbook.js';

export interface Group {
  name: string;
  /** Hosts listed directly under this group, in file order. */
  hosts: string[];
  children: string[];
  vars: Vars;
}

export interface Host {
  name: string;
  /** Host vars merged with group vars, Ansible precedence (all < parent groups < child groups < host). */
  vars: Vars;
  /** Every group the host belongs to, directly or through children, plus "all". */
  groups: string[];
}

export interface Inventory {
  file: string;
  /** Hosts in the order they were first seen in the inventory (patterns and subscripts use Ansible's group order: inventory/pattern-match.ts). */
  hosts: Host[];
  groups: Map<string, Group>;
}

/** How to reach a host, from the ansible_* vars. */
export interface ConnectionSpec {
  host: string; // inventory name
  kind: 'local' | 'ssh';
  address: string; // ansible_host or the name
  port?: number;
  user?: string;
  privateKeyFile?: string;
  become: boolean;
  becomeUser?: string;
  becomeMethod?: 'sudo';
  /** Secrets are kept out of reports and logs; only the transport reads them. */
  becomePassword?: string;
  password?: string;
  hostKeyChecking?: 'yes' | 'accept-new' | 'no';
  knownHostsFile?: string;
  connectTimeout?: number; // seconds
  extra: Vars; // remaining ansible_* settings (ansible_ssh_common_args…)
}
