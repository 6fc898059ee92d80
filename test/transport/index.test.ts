import assert from 'node:assert/strict';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { createTransport, SshPool, SshTransport } from '../../src/transport/index.js';

const base: ConnectionSpec = { host: 'h', kind: 'ssh', address: '127.0.2.250', port: 2222, become: false, extra: {} };

describe('createTransport', () => {
  it('gives the local transport for kind local, running real commands', async () => {
    const t = createTransport({ ...base, kind: 'local', address: 'localhost' });
    assert.ok(!(t instanceof SshTransport));
    const r = await t.exec({ argv: ['echo', 'local ok'] });
    assert.equal(r.stdout, 'local ok\n');
    await t.close();
  });

  it('gives an SSH transport otherwise, and the pooled one per host when a pool is given', async () => {
    const own = createTransport(base, { sshConfig: null });
    assert.ok(own instanceof SshTransport);
    const pool = new SshPool({ sshConfig: null });
    const a = createTransport(base, { pool });
    assert.equal(createTransport({ ...base }, { pool }), a);
    assert.notEqual(createTransport({ ...base, host: 'other' }, { pool }), a);
    assert.equal(pool.size, 2);
    await pool.closeAll();
  });
});
