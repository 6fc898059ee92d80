import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/model/errors.js';
import { loadInventory, parseInventoryText } from '../../src/inventory/index.js';

const y = (...lines: string[]) => lines.join('\n') + '\n';
const hostNames = (text: string) => parseInventoryText('inv.yml', text).hosts.map((h) => h.name);
const varsOf = (text: string, host: string) => parseInventoryText('inv.yml', text).hosts.find((h) => h.name === host)?.vars;

describe('inventory/load: shape', () => {
  const text = y(
    'all:',
    '  hosts:',
    '    lone:',
    '    both:',
    '  children:',
    '    web:',
    '      hosts:',
    '        web[1:2]:',
    '        both:',
    '      children:',
    '        atlanta:',
    'atlanta:',
    '  hosts:',
    '    a1:',
    'db:',
    '  hosts: db1',
  );
  const inv = parseInventoryText('inv.yml', text);
  const group = (n: string) => inv.groups.get(n);

  it('keeps hosts in the order they first appear in the file', () => {
    assert.deepEqual(inv.hosts.map((h) => h.name), ['lone', 'both', 'web1', 'web2', 'a1', 'db1']);
  });
  it("puts hosts that are only in 'all' into 'ungrouped'", () => {
    assert.deepEqual(group('ungrouped')?.hosts, ['lone']);
    assert.deepEqual(inv.hosts.find((h) => h.name === 'lone')?.groups, ['all', 'ungrouped']);
  });
  it("makes top-level groups children of 'all', ungrouped first, no duplicates", () => {
    assert.deepEqual(group('all')?.children, ['ungrouped', 'web', 'db']);
    assert.deepEqual(group('web')?.children, ['atlanta']);
  });
  it('gives each host every group it is in, directly or through children', () => {
    assert.deepEqual(inv.hosts.find((h) => h.name === 'a1')?.groups, ['all', 'web', 'atlanta']);
    assert.deepEqual(inv.hosts.find((h) => h.name === 'both')?.groups, ['all', 'web']);
  });
  it('accepts a single host name as a string', () => assert.deepEqual(group('db')?.hosts, ['db1']));
  it('accepts a single child group name as a string, as Ansible does', () => {
    const inv2 = parseInventoryText('inv.yml', y('prod:', '  children: web', 'web:', '  hosts: {w1: }'));
    assert.deepEqual(inv2.groups.get('prod')?.children, ['web']);
    assert.deepEqual(inv2.hosts[0]?.groups, ['all', 'prod', 'web']);
  });
  it('adds no implicit localhost', () => {
    assert.deepEqual(hostNames('all:\n'), []);
    assert.ok(!parseInventoryText('inv.yml', 'all:\n').hosts.some((h) => h.name === 'localhost'));
  });
  it('merges a group defined in several places', () => {
    const inv2 = parseInventoryText('inv.yml', y('a:', '  hosts: {h1: }', '  vars: {x: 1}', 'b:', '  children:', '    a:', '      hosts: {h2: }', '      vars: {y: 2}'));
    assert.deepEqual(inv2.groups.get('a')?.hosts, ['h1', 'h2']);
    assert.deepEqual(inv2.groups.get('a')?.vars, { x: 1, y: 2 });
    assert.deepEqual(inv2.groups.get('all')?.children, ['ungrouped', 'b']);
  });
  it('sets ansible_port from name:port, and a var in the entry wins over it', () => {
    assert.deepEqual(varsOf(y('all:', '  hosts:', '    web1:2222:'), 'web1'), { ansible_port: 2222 });
    assert.deepEqual(varsOf(y('all:', '  hosts:', '    web1:2222: {ansible_port: 22}'), 'web1'), { ansible_port: 22 });
  });
});

// Ansible's order: all < parent groups < child groups (same depth: ansible_group_priority, then name) < host.
const PRECEDENCE: Array<{ name: string; text: string; host: string; want: Record<string, unknown> }> = [
  {
    name: 'host vars win over group vars, group vars over all',
    text: y('all:', '  vars: {x: all, y: all, z: all}', '  children:', '    web:', '      vars: {x: web, y: web}', '      hosts:', '        h: {x: host}'),
    host: 'h',
    want: { x: 'host', y: 'web', z: 'all' },
  },
  {
    name: 'a child group wins over its parent',
    text: y('web:', '  vars: {x: parent}', '  children:', '    atlanta:', '      vars: {x: child}', '      hosts: {h: }'),
    host: 'h',
    want: { x: 'child' },
  },
  {
    name: 'siblings at the same depth merge by name: the later name wins',
    text: y('b_group:', '  vars: {x: b}', '  hosts: {h: }', 'a_group:', '  vars: {x: a, only_a: 1}', '  hosts: {h: }'),
    host: 'h',
    want: { x: 'b', only_a: 1 },
  },
  {
    name: 'ansible_group_priority orders siblings before their names (and leaves the vars)',
    text: y('b_group:', '  vars: {x: b}', '  hosts: {h: }', 'a_group:', '  vars: {x: a, ansible_group_priority: 10}', '  hosts: {h: }'),
    host: 'h',
    want: { x: 'a' },
  },
  {
    name: 'depth is the longest path from all: a group also nested deeper wins over a shallow one',
    text: y('z:', '  vars: {x: z}', '  hosts: {h: }', 'c:', '  vars: {x: c}', '  hosts: {h: }', 'p:', '  children:', '    c:'),
    host: 'h',
    want: { x: 'c' },
  },
  {
    name: 'host vars from several entries merge, the later entry winning',
    text: y('a:', '  hosts:', '    h: {x: 1, y: 1}', 'b:', '  hosts:', '    h: {y: 2}'),
    host: 'h',
    want: { x: 1, y: 2 },
  },
  {
    name: 'host vars win over a deeper group listed later',
    text: y('all:', '  hosts:', '    h: {x: host}', '  children:', '    a:', '      children:', '        b:', '          vars: {x: b}', '          hosts: {h: }'),
    host: 'h',
    want: { x: 'host' },
  },
  {
    name: 'range hosts share the vars of their entry',
    text: y('web:', '  hosts:', '    web[1:3]: {role: front}'),
    host: 'web2',
    want: { role: 'front' },
  },
];

describe('inventory/load: var precedence', () => {
  for (const c of PRECEDENCE) it(c.name, () => assert.deepEqual(varsOf(c.text, c.host), c.want));
});

const ERRORS: Array<{ name: string; text: string; where: string; message: RegExp }> = [
  { name: 'a group that is not a mapping', text: y('all:', '  children:', '    web: [a, b]'), where: '3:10', message: /group 'web' must be a mapping with hosts, vars or children \(or nothing\), got a list/ },
  { name: 'a group that is a string', text: y('web: web1'), where: '1:6', message: /group 'web' must be a mapping.*got the string "web1"/ },
  { name: 'hosts written as a list', text: y('all:', '  hosts:', '    - web1'), where: '3:5', message: /hosts of group 'all' must be a mapping of host names, got a list \(write 'web1:'/ },
  { name: 'a host var block that is a list', text: y('all:', '  hosts:', '    web1:', '      - a: 1'), where: '4:7', message: /vars of host 'web1' in group 'all' must be a mapping/ },
  { name: "unknown key 'host' in a group", text: y('all:', '  host:', '    web1:'), where: '2:3', message: /unknown key 'host' in group 'all': a group has only hosts, vars and children \(did you mean 'hosts'\?\)/ },
  { name: "unknown key 'var' in a nested group", text: y('all:', '  children:', '    web:', '      var: {x: 1}'), where: '4:7', message: /unknown key 'var' in group 'web'.*did you mean 'vars'/ },
  { name: 'group vars that are a list', text: y('all:', '  vars: [1]'), where: '2:9', message: /vars of group 'all' must be a mapping of name: value, got a list/ },
  { name: 'children written as a list', text: y('all:', '  children:', '    - web'), where: '3:5', message: /children of group 'all' must be a mapping of group names, got a list/ },
  { name: 'a descending range', text: y('web:', '  hosts:', '    web[20:01]:'), where: '3:5', message: /begin 20 is greater than end 01 in host range 'web\[20:01\]'/ },
  { name: 'a padded range of unequal width', text: y('web:', '  hosts:', '    ok1:', '    web[01:100].example.com:'), where: '4:5', message: /zero-padded begin '01' and end '100' must have the same length/ },
  { name: 'a group that is its own descendant', text: y('all:', '  children:', '    a:', '      children:', '        b:', '          children:', '            a:'), where: '7:13', message: /group 'a' cannot be a child of 'b': 'b' is already inside 'a' \(cycle: a > b > a\)/ },
  { name: 'a group that is its own child', text: y('a:', '  children:', '    a:'), where: '3:5', message: /group 'a' cannot be a child of itself/ },
  { name: "'all' under another group", text: y('web:', '  children:', '    all:'), where: '3:5', message: /'all' holds every group and cannot be a child of 'web'/ },
  { name: 'a bad ansible_group_priority', text: y('a:', '  vars:', '    ansible_group_priority: high'), where: '3:29', message: /ansible_group_priority must be a whole number, got "high"/ },
  { name: 'an empty file', text: '', where: '1:1', message: /the inventory is empty: expected a mapping of groups, usually 'all:'/ },
  { name: 'an empty mapping', text: y('{}'), where: '1:1', message: /an inventory needs at least one group, usually 'all:'/ },
  { name: 'an inventory plugin config', text: y('plugin: amazon.aws.aws_ec2', 'regions: [eu-west-1]'), where: '1:9', message: /inventory plugins \('plugin:'\) are not supported/ },
  { name: 'a list at the top', text: y('- a'), where: '1:1', message: /an inventory is a mapping of groups/ },
  { name: 'a host name YAML reads as a number', text: y('web:', '  hosts:', '    1234:'), where: '3:5', message: /a host name must be text, but YAML reads this one as an integer \(1234\): quote it/ },
  { name: 'a group name YAML reads as a boolean', text: y('all:', '  children:', '    yes:', '      hosts: {a: }'), where: '3:5', message: /a group name must be text, but YAML reads this one as a boolean \(true\): quote it/ },
  { name: 'a YAML syntax error', text: y('all:', '  hosts:', '   a: ['), where: '4:1', message: /YAML syntax error/ },
];

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

describe('inventory/load: errors with file:line:column', () => {
  for (const c of ERRORS) {
    it(c.name, () => {
      const err = configError(() => parseInventoryText('inv.yml', c.text));
      assert.equal(err.problems.length, 1, err.message);
      assert.equal(`${err.file}:${err.line}:${err.column}`, `inv.yml:${c.where}`, err.message);
      assert.match(err.message, c.message);
      assert.match(err.message, new RegExp(`^inv\\.yml:${c.where}: `));
    });
  }
  it('reports every problem at once, in file order', () => {
    const err = configError(() => parseInventoryText('inv.yml', y('all:', '  host: {a: }', '  children:', '    web:', '      hosts:', '        web[9:1]:', '    db: [x]')));
    assert.deepEqual(err.problems.map((p) => `${p.line}:${p.column}`), ['2:3', '6:9', '7:9']);
  });
});

describe('inventory/load: files', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'remedy-inv-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a file and names it in the inventory', async () => {
    const file = join(dir, 'hosts.yml');
    writeFileSync(file, y('all:', '  hosts:', '    localhost: {ansible_connection: local}'));
    const inv = await loadInventory(file);
    assert.equal(inv.file, file);
    assert.deepEqual(inv.hosts.map((h) => h.name), ['localhost']);
  });
  it('says when the file is missing', async () => {
    await assert.rejects(loadInventory(join(dir, 'nope.yml')), (e: unknown) => e instanceof ConfigError && /nope\.yml: cannot read file: no such file/.test(e.message));
  });
  it('reads an INI file, with or without an extension', async () => {
    for (const name of ['hosts', 'hosts.ini', 'hosts.cfg']) {
      const file = join(dir, name);
      writeFileSync(file, y('[web]', 'web1', 'web2 x=1'));
      const inv = await loadInventory(file);
      assert.deepEqual(inv.hosts.map((h) => [h.name, h.vars]), [['web1', {}], ['web2', { x: 1 }]], name);
    }
  });
  it('loads inventory.example.yml: localhost on the local connection', async () => {
    const inv = await loadInventory(new URL('../../inventory.example.yml', import.meta.url).pathname);
    assert.deepEqual(inv.hosts.map((h) => h.name), ['localhost']);
    assert.equal(inv.hosts[0]?.vars['ansible_connection'], 'local');
  });
});
