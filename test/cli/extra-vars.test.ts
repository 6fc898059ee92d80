import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtraVars } from '../../src/cli/extra-vars.js';
import { ConfigError, UsageError } from '../../src/model/errors.js';

describe('cli/extra-vars: -e as Ansible reads it', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'remedy-extra-vars-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads @file and inline YAML with YAML 1.1 scalars, JSON as JSON, KEY=VALUE as text', () => {
    const file = join(dir, 'vars.yml');
    writeFileSync(file, 'reboot: yes\nmode: 0644\nshort: y\n');
    assert.deepEqual(parseExtraVars([`@${file}`, '{"a": 1e3}', '{b: on, c: 1e3}', 'd=yes']), { reboot: true, mode: 420, short: 'y', a: 1000, b: true, c: '1e3', d: 'yes' });
  });

  it('locates a problem in an @file at line:column', () => {
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'ok: 1\nwhen: 2024-02-30\n');
    assert.throws(() => parseExtraVars([`@${file}`]), (e: unknown) => e instanceof ConfigError && e.file === file && e.line === 2 && e.column === 7);
  });

  it('says what is wrong with inline YAML', () => {
    assert.throws(() => parseExtraVars(['{a: [']), (e: unknown) => e instanceof UsageError && /^-e \{a: \[: not valid JSON\/YAML: YAML syntax error/.test(e.message));
  });
});
