/** The lab's inventory (Ansible YAML shape): one group per flavour, ansible_host per host. */
import { stringify } from 'yaml';
import type { Flavor } from './flavor.js';

export interface InventoryHost {
  name: string;
  address: string;
  flavor: Flavor;
}

export function groupName(flavor: Flavor): string {
  return flavor.replace('-', '_');
}

export function renderInventory(hosts: InventoryHost[], files: { keyFile: string; knownHostsFile: string }): string {
  const children: Record<string, { hosts: Record<string, { ansible_host: string }> }> = {};
  for (const h of hosts) {
    const group = (children[groupName(h.flavor)] ??= { hosts: {} });
    group.hosts[h.name] = { ansible_host: h.address };
  }
  const doc = {
    all: {
      vars: {
        ansible_user: 'root',
        ansible_port: 22,
        ansible_ssh_private_key_file: files.keyFile,
        ansible_ssh_common_args: `-o UserKnownHostsFile=${files.knownHostsFile} -o StrictHostKeyChecking=yes`,
      },
      children,
    },
  };
  return `# written by the remedy lab (test/lab); removed by \`npm run lab -- down\`\n${stringify(doc)}`;
}
