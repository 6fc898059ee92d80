import { fileURLToPath } from 'node:url';

/** playbooks/ sits two levels above this file, both in src/cli and in dist/cli. */
export const playbooksDir = fileURLToPath(new URL('../../playbooks/', import.meta.url));

/** The inventory used when none is given: this machine, reached without SSH. */
export const DEFAULT_INVENTORY_NAME = '<embedded: localhost>';
export const DEFAULT_INVENTORY = `all:
  hosts:
    localhost:
      ansible_connection: local
`;
