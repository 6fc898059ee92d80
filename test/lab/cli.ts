/**
 * npm run lab -- up [N] [--flavor systemd|sysv|rhel|rhel-sysv|mixed] [--name default]
 * npm run lab -- down [--name default] | down --all
 * npm run lab -- status [--name NAME]
 */
import { Command, InvalidArgumentError } from 'commander';
import { FLAVORS, type Flavor } from './flavor.js';
import { findLab, labPrerequisites, listLabs, startLab, stopLab } from './index.js';

function parseCount(v: string): number {
  const n = Number.parseInt(v, 10);
  if (!/^\d+$/.test(v) || n < 1 || n > 253) throw new InvalidArgumentError('a host count from 1 to 253');
  return n;
}

function parseFlavor(v: string): Flavor | 'mixed' | Flavor[] {
  if (v === 'mixed') return v;
  const list = v.split(',');
  for (const f of list) if (!FLAVORS.includes(f as Flavor)) throw new InvalidArgumentError(`one of ${FLAVORS.join(', ')}, mixed, or a comma list`);
  return list.length === 1 ? (list[0] as Flavor) : (list as Flavor[]);
}

const program = new Command('lab').description('the remedy lab: real Linux hosts on this machine for end-to-end tests');

program
  .command('up')
  .argument('[count]', 'number of hosts', parseCount, 3)
  .option('--flavor <flavor>', 'systemd, sysv, rhel, rhel-sysv, mixed, or a comma list', parseFlavor, 'systemd' as Flavor)
  .option('--name <name>', 'lab name', 'default')
  .action(async (count: number, o: { flavor: Flavor | 'mixed' | Flavor[]; name: string }) => {
    const t0 = Date.now();
    const lab = await startLab({ name: o.name, count, flavor: o.flavor });
    console.log(`lab "${lab.name}": ${lab.hosts.length} hosts ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const h of lab.hosts) console.log(`  ${h.name.padEnd(4)} ${h.address.padEnd(13)} ${h.flavor.padEnd(9)} ${h.root}`);
    console.log(`inventory:   ${lab.inventoryFile}`);
    console.log(`known_hosts: ${lab.knownHostsFile}`);
    console.log(`key:         ${lab.keyFile}`);
    console.log(`try:         ssh ${lab.sshArgs(lab.hosts[0]!).join(' ')} uptime`);
    console.log(`remedy:      remedy check -i ${lab.inventoryFile}   (or: remedy run -i ${lab.inventoryFile} playbooks/…)`);
    console.log(`stop with:   npm run lab -- down${o.name === 'default' ? '' : ` --name ${o.name}`}`);
  });

program
  .command('down')
  .option('--name <name>', 'lab name', 'default')
  .option('--all', 'every lab on this machine')
  .action(async (o: { name: string; all?: boolean }) => {
    const names = o.all ? await listLabs() : [o.name];
    for (const name of names) {
      const t0 = Date.now();
      await stopLab(name);
      console.log(`lab "${name}" down in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  });

program
  .command('status')
  .option('--name <name>', 'only this lab')
  .action(async (o: { name?: string }) => {
    const missing = labPrerequisites();
    if (missing.length > 0) console.log(`prerequisites missing: ${missing.join('; ')}`);
    const names = o.name ? [o.name] : await listLabs();
    if (names.length === 0) console.log('no lab running');
    for (const name of names) {
      const lab = await findLab(name);
      if (!lab) {
        console.log(`lab "${name}": not running`);
        process.exitCode = 1;
        continue;
      }
      console.log(`lab "${lab.name}": inventory ${lab.inventoryFile}`);
      const states = await Promise.all(lab.hosts.map((h) => lab.exec(h, 'cat /proc/sys/kernel/random/boot_id', { timeoutMs: 10_000 })));
      lab.hosts.forEach((h, i) => {
        const r = states[i]!;
        const state = r.code === 0 ? `up, boot ${r.stdout.trim().slice(0, 8)}` : `unreachable (${r.stderr.trim().split('\n').pop()})`;
        console.log(`  ${h.name.padEnd(4)} ${h.address.padEnd(13)} ${h.flavor.padEnd(9)} ${state}`);
      });
    }
  });

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
