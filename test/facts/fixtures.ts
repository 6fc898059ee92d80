import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Probe output captured on this machine and on lab hosts (trimmed), see fixtures/README.md. */
export function fixture(name: string): string {
  return readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'utf8');
}
