/**
 * A key passphrase typed at remedy's prompt is a secret like the others: a lab host that prints it back
 * (it was planted in a file there) shows it masked on the terminal and in the JSON report.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startLab, type Lab, suiteLabName } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { runCommand } from '../lab/run.js';
import { onHost } from '../playbooks/category-helpers.js';
import { runOnTerminal } from './terminal.js';

const PASSPHRASE = 'typedPassphrase-9z';

describe('secrets on the lab: a passphrase typed at the prompt is masked', function () {
  this.timeout(120_000);
  let lab: Lab | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'remedy-secrets-'));

  before(async function () {
    this.timeout(120_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('secrets'), count: 1, flavor: 'systemd' });
    const key = join(dir, 'id_encrypted');
    copyFileSync(lab.keyFile, key);
    const r = await runCommand('ssh-keygen', ['-q', '-p', '-N', PASSPHRASE, '-P', '', '-f', key]);
    assert.equal(r.code, 0, r.stderr);
    const inventory = parse(readFileSync(lab.inventoryFile, 'utf8')) as { all: { vars: Record<string, unknown> } };
    inventory.all.vars['ansible_ssh_private_key_file'] = key;
    writeFileSync(join(dir, 'inv.yml'), stringify(inventory));
    writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  tasks:\n    - name: print the planted file\n      command: [cat, /var/tmp/planted]\n      register: p\n    - debug: { msg: "host says {{ p.stdout }}" }\n');
    await onHost(lab, lab.hosts[0]!, `printf '%s\\n' '${PASSPHRASE}' > /var/tmp/planted`);
  });
  after(async () => { await lab?.down(); });

  it('prompts, connects with the typed passphrase, and masks it in the terminal output and the report', async () => {
    const json = join(dir, 'r.json');
    const r = await runOnTerminal(['run', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--json', json, '--no-progress'], {
      input: `${PASSPHRASE}\r`, waitFor: /Enter passphrase for key/, env: { SSH_AUTH_SOCK: '' },
    });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /host says \*{8}/);
    assert.ok(!r.output.includes(PASSPHRASE), r.output);
    const report = readFileSync(json, 'utf8');
    assert.match(report, /host says \*{8}/);
    assert.ok(!report.includes(PASSPHRASE));
  });
});
