/** The secrets a run knows before it starts, and the passphrase prompt that adds what it learns. */
import type { Inventory } from '../model/inventory.js';
import type { Vars } from '../model/playbook.js';
import { secretValues } from '../inventory/index.js';
import type { Redactor } from '../report/redact.js';
import { PASSPHRASE_ENV, promptOnTty } from '../transport/index.js';

/** Every connection secret in the inventory and -e, and the key passphrase from the environment. */
export function knownSecrets(inventory: Inventory, extraVars: Vars, env: NodeJS.ProcessEnv = process.env): string[] {
  const out = new Set<string>(secretValues(extraVars));
  for (const host of inventory.hosts) for (const s of secretValues(host.vars)) out.add(s);
  const passphrase = env[PASSPHRASE_ENV];
  if (passphrase) out.add(passphrase);
  return [...out];
}

/** Asks for a key passphrase on the terminal and remembers the answer as a secret to mask. */
export function promptRemembering(redactor: Redactor): (keyFile: string) => Promise<string | undefined> {
  return async (keyFile) => {
    const answer = await promptOnTty(keyFile);
    if (answer) redactor.add(answer);
    return answer;
  };
}
