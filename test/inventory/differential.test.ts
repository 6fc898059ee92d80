import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { formatHostVars, formatInventoryGraph, formatInventoryList, inventoryWarnings, loadInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/model/inventory.js';
import { explainJson, explainLoadWarning, explainPattern, listed, patternsFor, remedyOutcome } from './compare.js';
import { knownDifference, knownDifferences } from './known-differences.js';
import { ansibleCommand, type CorpusCase, corpusCases, type Printed, type ReferenceResult, runReference } from './reference.js';

/**
 * remedy's inventories against ansible-core 2.14 itself, on the corpus in corpus/ (YAML, INI,
 * JSON, directories, group_vars/host_vars beside the inventory and the playbook): the output of
 * `ansible-inventory --list`, `--graph` and `--host` for every host to the character (vars with
 * their types), and for each Ansible pattern form, the hosts and their order that `ansible P
 * --list-hosts` and `ansible all --list-hosts -l P` select, with the same warnings.
 */
describe('inventory: the same as ansible-core (differential, corpus/)', function () {
  this.timeout(180_000);
  const cases = corpusCases();
  const inventories = new Map<string, Inventory>();
  const patterns = new Map<string, string[]>();
  let reference: Record<string, ReferenceResult>;
  const seen = new Map<string, string[]>(); // known difference → where

  const note = (id: string, where: string) => seen.set(id, [...(seen.get(id) ?? []), where]);

  before(async () => {
    for (const c of cases) {
      const inv = await loadInventory(c.inventory, c.playbookDir ? { playbookDir: c.playbookDir } : {});
      inventories.set(c.name, inv);
      const extra = c.patternsFile ? readFileSync(c.patternsFile, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
      patterns.set(c.name, patternsFor(inv, extra));
    }
    reference = await runReference(cases.map((c) => ({
      id: c.name,
      inventory: c.inventory,
      ...(c.playbookDir ? { playbookDir: c.playbookDir } : {}),
      hosts: (inventories.get(c.name) as Inventory).hosts.map((h) => h.name),
      patterns: patterns.get(c.name) as string[],
    })));
  });

  it('has a corpus of at least 20 inventories, YAML and INI, files and directories', () => {
    assert.ok(cases.length >= 20, `${cases.length} inventories`);
    assert.ok(cases.some((c) => /\.ya?ml$/.test(c.inventory)) && cases.some((c) => /\.ini$|\/hosts$|\/inventory$/.test(c.inventory)));
  });

  const check = (c: CorpusCase) => {
    const inv = inventories.get(c.name) as Inventory;
    const ref = reference[c.name] as ReferenceResult;
    return { inv, ref };
  };

  for (const c of cases) {
    describe(c.name, () => {
      it('ansible-inventory read it with the same warnings', () => {
        const { inv, ref } = check(c);
        assert.equal(ref.list.rc, 0, ref.list.err);
        const theirs = [...ref.list.err.matchAll(/^\[WARNING\]: (.*)$/gm)].map((m) => m[1] as string);
        const problems: string[] = [];
        for (const w of theirs) {
          const why = explainLoadWarning(w, inventoryWarnings(inv));
          if (why?.startsWith('unexplained')) problems.push(why);
          else if (why !== undefined) note(why, `${c.name}: ${w}`);
        }
        assert.deepEqual(problems, []);
        assert.equal(inventoryWarnings(inv).length, theirs.filter((w) => !/duplicate dict key/.test(w)).length, inventoryWarnings(inv).join('\n'));
      });

      it('--list prints the same JSON', () => {
        const { inv, ref } = check(c);
        const why = explainJson(formatInventoryList(inv, inv.hosts), ref.list.out);
        if (why !== undefined) {
          assert.ok(!why.startsWith('unexplained'), `${c.name} --list: ${why}`);
          note(why, `${c.name} --list`);
        }
      });

      it('--graph draws the same tree', () => {
        const { inv, ref } = check(c);
        assert.equal(`${formatInventoryGraph(inv, inv.hosts)}\n`, ref.graph.out);
      });

      it('--host prints the same vars for every host', () => {
        const { inv, ref } = check(c);
        assert.deepEqual(Object.keys(ref.host).sort(), inv.hosts.map((h) => h.name).sort());
        for (const host of inv.hosts) {
          const printed = ref.host[host.name];
          assert.equal(printed?.rc, 0, printed?.err);
          const why = explainJson(formatHostVars(host), printed?.out ?? '');
          if (why === undefined) continue;
          assert.ok(!why.startsWith('unexplained'), `${c.name} --host ${host.name}: ${why}`);
          note(why, `${c.name} --host ${host.name}`);
        }
      });

      it('every pattern form selects the same hosts in the same order, with the same warnings', () => {
        const { inv, ref } = check(c);
        const problems: string[] = [];
        for (const p of patterns.get(c.name) as string[]) {
          for (const mode of ['pattern', 'limit'] as const) {
            const printed = (mode === 'pattern' ? ref.patterns : ref.limits)[p];
            assert.ok(printed, `no reference for ${p}`);
            const pinned = listed(printed.pinned);
            const real = listed(printed.real);
            const where = `${c.name} ${mode === 'pattern' ? `ansible '${p}'` : `-l '${p}'`}`;
            const why = explainPattern(p, mode, remedyOutcome(inv, p, mode), pinned);
            if (why?.startsWith('unexplained')) problems.push(`${where}: ${why}`);
            else if (why !== undefined) note(why, where);
            // Ansible's own run agrees with the pinned one but for the order of the set it walks.
            // (a subscript picks from that order, so it may pick other hosts).
            assert.equal(real.error, pinned.error, `${where}: pinning the order changed Ansible's error`);
            if (!p.includes('[')) assert.deepEqual([...real.hosts].sort(), [...pinned.hosts].sort(), `${where}: pinning the order changed Ansible's hosts`);
            if (real.hosts.join(' ') !== pinned.hosts.join(' ')) note('set-order', where);
          }
        }
        assert.deepEqual(problems, []);
      });
    });
  }

  describe('the reference', () => {
    it('runs ansible-core as its commands do: the same output as ansible-inventory and ansible run as processes', async () => {
      const c = cases.find((x) => x.name === '06-ini-basic') as CorpusCase;
      const ref = reference[c.name] as ReferenceResult;
      const [list, host, pattern, limit] = await Promise.all([
        ansibleCommand('ansible-inventory', ['-i', c.inventory, '--list']),
        ansibleCommand('ansible-inventory', ['-i', c.inventory, '--host', 'bar.example.com']),
        ansibleCommand('ansible', ['dbservers:webservers:nothing', '-i', c.inventory, '--list-hosts']),
        ansibleCommand('ansible', ['all', '-i', c.inventory, '--list-hosts', '-l', 'atlanta:!foo*']),
      ]);
      assert.equal(list.out, ref.list.out);
      assert.equal(host.out, ref.host['bar.example.com']?.out);
      const refPattern = await runReference([{ id: 'x', inventory: c.inventory, hosts: [], patterns: ['dbservers:webservers:nothing', 'atlanta:!foo*'] }]);
      assert.deepEqual(listed(pattern), listed(refPattern['x']?.patterns['dbservers:webservers:nothing']?.real as Printed));
      assert.deepEqual(listed(limit), listed(refPattern['x']?.limits['atlanta:!foo*']?.real as Printed));
      assert.deepEqual(listed(pattern).unmatched, ['nothing']);
    });
  });

  describe('known differences', () => {
    it('every difference found is a known one, and every known one is found', () => {
      for (const id of seen.keys()) knownDifference(id); // throws for an unknown id
      const missing = knownDifferences.filter((k) => !k.byChance && !seen.has(k.id)).map((k) => k.id);
      assert.deepEqual(missing, [], 'known differences no longer found: remove them from known-differences.ts');
    });
  });
});
