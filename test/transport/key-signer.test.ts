import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { withDecodedSigner } from '../../src/transport/key-signer.js';
import { loadIdentity } from '../../src/transport/ssh-auth.js';

const dir = mkdtempSync(join(tmpdir(), 'remedy-signer-'));

let made = 0;
function keyFile(type: string, bits?: string): string {
  made += 1;
  const file = join(dir, `id_${type}${bits ?? ''}_${made}`);
  const r = spawnSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', '', '-f', file]);
  assert.equal(r.status, 0, String(r.stderr));
  return file;
}

function parse(file: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(readFileSync(file));
  assert.ok(!(parsed instanceof Error) && !Array.isArray(parsed));
  return parsed;
}

// ssh2 signs with these (client.js getKeyAlgos): none for Ed25519 and ECDSA, sha1/sha256/sha512 for RSA.
const cases: Array<{ type: string; bits?: string; algos: Array<string | undefined>; deterministic: boolean }> = [
  { type: 'ed25519', algos: [undefined], deterministic: true },
  { type: 'rsa', bits: '2048', algos: [undefined, 'sha1', 'sha256', 'sha512'], deterministic: true },
  { type: 'ecdsa', bits: '256', algos: [undefined, 'sha256'], deterministic: false },
  { type: 'ecdsa', bits: '521', algos: [undefined], deterministic: false },
];

describe('identity keys sign with a key decoded once', () => {
  for (const c of cases) {
    it(`${c.type}${c.bits ? ` ${c.bits}` : ''}: the same signature as ssh2's own, which ssh2 verifies`, () => {
      const file = keyFile(c.type, c.bits);
      const reference = parse(file);
      const decoded = withDecodedSigner(parse(file));
      for (const algo of c.algos) {
        for (const data of [Buffer.from('session id and userauth request'), Buffer.alloc(0), Buffer.alloc(4096, 7)]) {
          const sig = decoded.sign(data, algo) as Buffer | Error;
          assert.ok(Buffer.isBuffer(sig), `${c.type} ${algo}: ${String(sig)}`);
          if (c.deterministic) assert.deepEqual(sig, reference.sign(data, algo), `${c.type} ${algo}`);
          assert.equal(reference.verify(data, sig, algo), true, `${c.type} ${algo}`);
          assert.equal(reference.verify(Buffer.concat([data, Buffer.from('x')]), sig, algo), false);
        }
      }
    });
  }

  it('an unknown hash comes back as an Error value, as from ssh2, never thrown', () => {
    const key = withDecodedSigner(parse(keyFile('rsa', '1024')));
    assert.ok((key.sign(Buffer.from('x'), 'no-such-hash') as unknown) instanceof Error);
  });

  it('loadIdentity gives keys that sign through the decoded key', async () => {
    const file = keyFile('ed25519');
    const loaded = await loadIdentity(file, async () => undefined);
    assert.ok('key' in loaded);
    const reference = parse(file);
    assert.notEqual(loaded.key.sign, reference.sign);
    assert.deepEqual(loaded.key.sign(Buffer.from('abc')), reference.sign(Buffer.from('abc')));
  });
});
