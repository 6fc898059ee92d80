/**
 * The scale harness's listener (scale-harness.ts starts it as its own process, so the controller's
 * numbers are the controller's): listens on port 22 of every address given, and hands each connection
 * to `sshd -i` in a mount namespace of its own with a fresh /run/lock, so that each harness "host" has
 * its own remedy host lock, as each real host does.
 *   node --import tsx test/bench/scale-sshd-worker.ts <sshd_config> <addresses file>
 * Prints "ready N" once every address listens; ends on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

const [config, addressesFile] = process.argv.slice(2) as [string, string];
const addresses = readFileSync(addressesFile, 'utf8').split('\n').filter(Boolean);
const session = `mount -t tmpfs -o mode=1777,size=64k remedy-scale-lock /run/lock && exec /usr/sbin/sshd -i -f '${config}'`;

const servers: Server[] = [];
let listening = 0;
for (const address of addresses) {
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', session], { stdio: [socket, socket, 'ignore'] });
    child.on('error', () => socket.destroy());
    socket.destroy();
  });
  server.on('error', (err) => {
    process.stderr.write(`${address}: ${err.message}\n`);
    process.exit(1);
  });
  server.listen({ host: address, port: 22, backlog: 4096 }, () => {
    if (++listening === addresses.length) process.stdout.write(`ready ${listening}\n`);
  });
  servers.push(server);
}
process.on('SIGTERM', () => {
  for (const s of servers) s.close();
  process.exit(0);
});
