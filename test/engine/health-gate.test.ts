import { strict as assert } from 'node:assert';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createTcp, type AddressInfo } from 'node:net';
import { gateChecks, passGate } from '../../src/engine/health-gate.js';
import { createHostState } from '../../src/engine/host-state.js';

const listen = (s: Server | ReturnType<typeof createTcp>): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

describe('engine/health-gate: tcp and http parts, from the controller (loopback)', () => {
  const never = new AbortController().signal;
  const host = createHostState({ name: 'h1', vars: {} } as never, { kind: 'ssh', address: '127.0.0.1' } as never);

  it('passes when the port accepts and the URL answers 2xx; fails with what failed otherwise', async () => {
    const tcp = createTcp((c) => c.end());
    const http = createHttp((req, res) => { res.statusCode = req.url === '/ok' ? 200 : 503; res.end(); });
    const [tcpPort, httpPort] = await Promise.all([listen(tcp), listen(http)]);
    try {
      assert.equal(await passGate(gateChecks({ tcp: tcpPort, http: `http://127.0.0.1:${httpPort}/ok` }, [host]), 1, never), null);
      const bad = await passGate(gateChecks({ http: `http://127.0.0.1:${httpPort}/down` }, [host]), 0.1, never);
      assert.equal(bad, `http http://127.0.0.1:${httpPort}/down: status 503`);
    } finally {
      tcp.close(); http.close();
    }
    const closed = await passGate(gateChecks({ tcp: tcpPort }, [host]), 0.1, never);
    assert.match(closed ?? '', new RegExp(`^tcp 127\\.0\\.0\\.1:${tcpPort}: connect ECONNREFUSED`));
  });

  it('a command part on a host that is not connected fails and says so', async () => {
    assert.equal(await passGate(gateChecks({ command: 'true' }, [host]), 0.1, never), 'h1: not connected, cannot run `true`');
  });
});
