import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connectionFor, inventoryWarnings, loadInventory, parseInventoryText, withPlaybookVars } from '../../src/inventory/index.js';
import { findVarsFiles } from '../../src/inventory/vars-files.js';
import { ConfigError } from '../../src/model/errors.js';

/** Files, directories, group_vars/ and host_vars/ (the corpus tests compare the same with Ansible). */
describe('inventory/sources: files, directories, group_vars and host_vars', () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  const problemsOf = async (path: string) => {
    try {
      await loadInventory(path);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.map((p) => `${p.file.slice(dir.length + 1)}:${p.line ?? ''}:${p.column ?? ''} ${p.message}`);
      throw err;
    }
    assert.fail('expected a ConfigError');
  };
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'remedy-sources-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every file of a directory in name order, but hidden ones, group_vars, host_vars and ignored extensions', async () => {
    write('inv/b.yml', 'b:\n  hosts: {hb: }\n');
    write('inv/a', '[a]\nha\n');
    write('inv/sub/c.yaml', 'c:\n  hosts: {hc: }\n');
    for (const skipped of ['.hidden.yml', 'x.ini', 'x.cfg', 'x.retry', 'x.md', 'x.txt', 'x.orig', 'x.bak', 'x~', 'group_vars/all.yml', 'host_vars/ha.yml']) write(`inv/${skipped}`, 'skipped: {hosts: {never: }}\n');
    const inv = await loadInventory(join(dir, 'inv'));
    assert.deepEqual(inv.hosts.map((h) => h.name), ['ha', 'hb', 'hc']);
  });

  it('applies group_vars/ and host_vars/ beside a file, or inside a directory', async () => {
    write('hosts', '[web]\nw1\n');
    write('group_vars/web.yml', 'from: group_vars\n');
    write('host_vars/w1', 'host: true\n');
    assert.deepEqual((await loadInventory(join(dir, 'hosts'))).hosts[0]?.vars, { from: 'group_vars', host: true });
    write('inv/hosts.yml', 'web:\n  hosts: {w1: }\n');
    write('inv/group_vars/all/10.yml', 'from: all\n');
    assert.deepEqual((await loadInventory(join(dir, 'inv'))).hosts[0]?.vars, { from: 'all' });
  });

  it('finds vars files as Ansible: NAME (file or directory) first, then .yml, .yaml, .json', async () => {
    write('gv/web.yml', 'a: 1\n');
    write('gv/web.json', '{}');
    assert.deepEqual((await findVarsFiles(join(dir, 'gv'), 'web')).map((f) => f.slice(dir.length + 1)), ['gv/web.yml']);
    write('gv/web/b.yml', 'b: 1\n');
    write('gv/web/a', 'a: 1\n');
    write('gv/web/z/c.json', '{}');
    write('gv/web/skip.d/d.yml', 'd: 1\n');
    write('gv/web/e.txt', '');
    write('gv/web/f.yml~', '');
    assert.deepEqual((await findVarsFiles(join(dir, 'gv'), 'web')).map((f) => f.slice(dir.length + 1)), ['gv/web/a', 'gv/web/b.yml', 'gv/web/z/c.json']);
  });

  it('adds the group_vars/ and host_vars/ beside a playbook above the inventory ones', async () => {
    write('inv/hosts.yml', 'web:\n  hosts: {w1: {h: inventory}}\n');
    write('inv/group_vars/web.yml', 'g: inventory-dir\nonly_inv: 1\n');
    write('pb/group_vars/web.yml', 'g: playbook-dir\n');
    write('pb/host_vars/w1.yml', 'h: playbook-dir\n');
    const inv = await loadInventory(join(dir, 'inv', 'hosts.yml'));
    assert.deepEqual(inv.hosts[0]?.vars, { g: 'inventory-dir', only_inv: 1, h: 'inventory' });
    const both = await withPlaybookVars(inv, join(dir, 'pb'));
    assert.deepEqual(both.hosts[0]?.vars, { g: 'playbook-dir', only_inv: 1, h: 'playbook-dir' });
    assert.deepEqual(inv.hosts[0]?.vars['g'], 'inventory-dir', 'the inventory itself is unchanged');
    assert.deepEqual((await loadInventory(join(dir, 'inv', 'hosts.yml'), { playbookDir: join(dir, 'pb') })).hosts[0]?.vars, both.hosts[0]?.vars);
  });

  it('a playbook directory without group_vars/ or host_vars/ gives the same inventory, whose vars are still located', async () => {
    write('inv/hosts.yml', '# hosts\nweb:\n  hosts:\n    w1: {ansible_port: eighty}\n');
    write('pb/site.yml', '- hosts: all\n');
    write('pb/group_vars/README', '');
    const inv = await loadInventory(join(dir, 'inv', 'hosts.yml'));
    assert.equal(await withPlaybookVars(inv, join(dir, 'pb')), inv);
    assert.equal(await withPlaybookVars(inv, join(dir, 'nowhere')), inv);
    // the YAML tree was dropped after reading: the location comes from parsing the text again
    assert.throws(() => connectionFor(inv.hosts[0]!), (e: unknown) => e instanceof ConfigError && e.file === join(dir, 'inv/hosts.yml') && e.line === 4 && e.column === 24);
  });

  it('says where a var that makes a bad connection setting was set, in a group_vars file too', async () => {
    write('hosts', '[web]\nw1\n');
    write('group_vars/web.yml', '# web\nansible_port: eighty\n');
    const inv = await loadInventory(join(dir, 'hosts'));
    assert.throws(() => connectionFor(inv.hosts[0]!), (e: unknown) => e instanceof ConfigError && e.file === join(dir, 'group_vars/web.yml') && e.line === 2 && e.column === 15);
  });

  it("makes 'ansible_become: yes' true, as Ansible's YAML does", () => {
    const inv = parseInventoryText('inv.yml', 'all:\n  hosts:\n    h:\n      ansible_become: yes\n      ansible_connection: local\n');
    assert.equal(inv.hosts[0]?.vars['ansible_become'], true);
    assert.equal(connectionFor(inv.hosts[0]!).become, true);
  });

  const BAD: Array<[string, Record<string, string>, string, string[]]> = [
    ['a vars file that is a list', { 'hosts': '[web]\nw1\n', 'group_vars/web.yml': '- a\n' }, 'hosts', ['group_vars/web.yml:1:1 a vars file must be a mapping of name: value, got a list']],
    ['a syntax error in a vars file', { 'hosts': '[web]\nw1\n', 'host_vars/w1.yml': 'a: [\n' }, 'hosts', ['host_vars/w1.yml:2:1 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]']],
    ['an inventory script', { 'inv.py': '#!/usr/bin/env python3\nprint("{}")\n' }, 'inv.py', ['inv.py:1:1 inventory scripts are not supported (remedy runs nothing to build its inventory): export it with: ansible-inventory -i FILE --list --yaml']],
    ['a TOML inventory', { 'hosts.toml': '[web.hosts]\nw1 = {}\n' }, 'hosts.toml', ['hosts.toml:: TOML inventories are not supported: export it with: ansible-inventory -i FILE --list --yaml']],
    ['an empty file', { 'hosts.yml': '# nothing\n' }, 'hosts.yml', ["hosts.yml:1:1 the inventory is empty: expected a mapping of groups, usually 'all:'"]],
    ['a missing file', {}, 'nope', ['nope:: cannot read file: no such file']],
    ['a file in a directory with problems', { 'inv/a.yml': 'web:\n  host: {w1: }\n', 'inv/b': '[db]\nd1 x\n' }, 'inv', [
      "inv/a.yml:2:3 unknown key 'host' in group 'web': a group has only hosts, vars and children (did you mean 'hosts'?)",
      "inv/b:2:4 expected key=value after the host name, got 'x'",
    ]],
  ];
  for (const [name, files, source, want] of BAD) {
    it(`says what and where: ${name}`, async () => {
      for (const [rel, text] of Object.entries(files)) write(rel, text);
      assert.deepEqual(await problemsOf(join(dir, source)), want);
    });
  }

  it('reads an INI file with a YAML extension (as Ansible, trying YAML first), and says a YAML error when both fail', async () => {
    assert.deepEqual((await loadInventory(write('hosts.yml', '[web]\nw1\n'))).hosts.map((h) => h.name), ['w1']);
    assert.deepEqual(await problemsOf(write('bad.yml', 'all:\n  hosts:\n    a: [\n')), ['bad.yml:4:1 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  });

  it('warns about a group and a host with the same name, and group names that are no variable names', async () => {
    const inv = await loadInventory(write('hosts', '[web-1]\nweb-1\n'));
    assert.deepEqual(inventoryWarnings(inv), ["found both a group and a host named 'web-1'", 'group names that are not valid variable names (only letters, digits and _, not first a digit): web-1']);
  });

  it('reads an executable inventory without #! as data (Ansible falls back to it too)', async () => {
    const file = write('hosts', '[web]\nw1\n');
    chmodSync(file, 0o755);
    assert.deepEqual((await loadInventory(file)).hosts.map((h) => h.name), ['w1']);
  });
});
