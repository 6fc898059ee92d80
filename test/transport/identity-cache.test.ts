import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityCache } from '../../src/transport/ssh-auth.js';

function keygen(file: string, passphrase = ''): void {
  rmSync(file, { force: true });
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'cache-test', '-f', file]);
  assert.equal(r.status, 0, String(r.stderr));
}

describe('identity files: parsed once per run while unchanged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'remedy-id-'));
  const noPrompt = async () => undefined;

  it('the same parsed key for every host; a key replaced on disk is read again', async () => {
    const file = join(dir, 'id_ed25519');
    keygen(file);
    const cache = new IdentityCache();
    const a = await cache.load(file, noPrompt, false);
    const b = await cache.load(file, noPrompt, false);
    assert.ok('key' in a && 'key' in b);
    assert.equal(a.key, b.key);
    keygen(file);
    const c = await cache.load(file, noPrompt, false);
    assert.ok('key' in c);
    assert.notEqual(c.key, a.key);
    assert.notDeepEqual(c.key.getPublicSSH(), a.key.getPublicSSH());
  });

  it('an encrypted key: the prompt is asked once, and a BatchMode host (no prompt) does not get its answer', async () => {
    const file = join(dir, 'id_encrypted');
    keygen(file, 'open sesame');
    const cache = new IdentityCache();
    let asked = 0;
    const prompt = async () => { asked += 1; return 'open sesame'; };
    const batch = await cache.load(file, noPrompt, true);
    assert.deepEqual(batch, { problem: 'encrypted and no passphrase (set REMEDY_SSH_PASSPHRASE)' });
    const first = await cache.load(file, prompt, false);
    const second = await cache.load(file, prompt, false);
    assert.ok('key' in first && 'key' in second && first.key === second.key);
    assert.equal(asked, 1);
  });
});
