/**
 * A host whose network is taken away: remedy reaches the host through a forwarder on a lab address of
 * its own (claimed like any lab address), which this process runs. cut() makes it a black hole: bytes
 * in either direction are read and dropped, nothing is refused or reset, and new connections are
 * accepted and never answered, as when a cable is pulled or a firewall drops everything. restore()
 * forwards again (for new connections). The host itself keeps running, its sshd keeps its sessions.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Lab, LabHost } from './index.js';
import { claimAddresses, releaseAddresses } from './registry.js';

export interface Blackhole {
  /** The address remedy is given for the host (port 22); its host key is the host's (HostKeyAlias). */
  address: string;
  /** ssh options that make the forwarder's address check the host's own key in the lab's known_hosts. */
  sshArgs: string;
  cut(): void;
  restore(): void;
  /** How many connections the forwarder accepted so far. */
  accepted(): number;
  stop(): Promise<void>;
}

export async function networkThatGoesAway(lab: Lab, host: LabHost | string): Promise<Blackhole> {
  const h = lab.host(typeof host === 'string' ? host : host.name);
  const [address] = await claimAddresses(lab.name, 1);
  let cut = false;
  let count = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server: Server = createServer((client) => {
    count++;
    track(client);
    if (cut) {
      client.on('data', () => undefined); // accepted, read, never answered
      return;
    }
    const upstream = connect({ host: h.address, port: 22 });
    track(upstream);
    client.on('data', (d) => { if (!cut) upstream.write(d); });
    upstream.on('data', (d) => { if (!cut) client.write(d); });
    // while cut, an end from either side is dropped like everything else
    client.on('end', () => { if (!cut) upstream.end(); });
    upstream.on('end', () => { if (!cut) client.end(); });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(22, address, () => resolve());
  });
  return {
    address: address!,
    sshArgs: `-o HostKeyAlias=${h.address}`,
    cut: () => { cut = true; },
    restore: () => { cut = false; },
    accepted: () => count,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await releaseAddresses(lab.name, [address!]);
    },
  };
}
