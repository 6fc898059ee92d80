import { strict as assert } from 'node:assert';
import { parseInventoryText } from '../../src/inventory/index.js';
import { ConfigError } from '../../src/model/errors.js';

const ini = (...lines: string[]) => lines.join('\n') + '\n';
const load = (text: string) => parseInventoryText('hosts.ini', text);

function problems(text: string): string[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    throw err;
  }
  assert.fail('expected a ConfigError');
}

describe('inventory/ini: Ansible INI inventories', () => {
  it('reads groups, children and vars, hosts before any section being ungrouped', () => {
    const inv = load(ini('lone', '[web]', 'w1', 'w2 x=1', '[web:vars]', 'y = two words', '[prod:children]', 'web'));
    assert.deepEqual(inv.groups.get('all')?.children, ['ungrouped', 'prod']);
    assert.deepEqual(inv.groups.get('prod')?.children, ['web']);
    assert.deepEqual(inv.groups.get('ungrouped')?.hosts, ['lone']);
    assert.deepEqual(inv.hosts.map((h) => [h.name, h.vars]), [['lone', {}], ['w1', { y: 'two words' }], ['w2', { x: 1, y: 'two words' }]]);
  });

  it('links children named before their group is defined, in the order they are defined', () => {
    const inv = load(ini('[top:children]', 'b', 'a', '[a]', 'h1', '[b:children]', 'c', '[c]', 'h2'));
    assert.deepEqual(inv.groups.get('top')?.children, ['a', 'b']);
    assert.deepEqual(inv.groups.get('b')?.children, ['c']);
  });

  it('gives each host var its Python type, and [g:vars] values the whole rest of the line', () => {
    const inv = load(ini('[g]', `h a=1 b="2" c="'3'" d=True e=yes f=[1,2] g=None h=a#comment`, '[g:vars]', "v = 'x' # a Python comment", 'w = x # kept'));
    assert.deepEqual(inv.hosts[0]?.vars, { a: 1, b: 2, c: '3', d: true, e: 'yes', f: [1, 2], g: null, h: 'a', v: 'x', w: 'x # kept' });
  });

  it('keeps the first port of a host, as Ansible', () => {
    const inv = load(ini('[a]', 'h:2222', '[b]', 'h:3333', 'r[1:2]:22'));
    assert.deepEqual(inv.hosts.map((h) => [h.name, h.vars['ansible_port']]), [['h', 2222], ['r1', 22], ['r2', 22]]);
  });

  it('lets [all] and [ungrouped] name hosts, and takes hosts listed in a group out of ungrouped', () => {
    const inv = load(ini('both', 'only', '[all]', 'a1', '[web]', 'both'));
    assert.deepEqual(inv.groups.get('ungrouped')?.hosts, ['only', 'a1']);
    assert.deepEqual(inv.groups.get('all')?.hosts, ['a1']);
  });

  it('skips comment lines (# and ;) and blank lines; a section may end in a comment', () => {
    const inv = load(ini('# c', '; c', '', '[web] # the web servers', '  w1  ', '  # indented comment'));
    assert.deepEqual(inv.groups.get('web')?.hosts, ['w1']);
  });

  it('takes ansible_group_priority from [g:vars] as the priority, not as a var', () => {
    const inv = load(ini('[b]', 'h', '[b:vars]', 'x=b', '[a]', 'h', '[a:vars]', 'x=a', 'ansible_group_priority=5'));
    assert.deepEqual(inv.hosts[0]?.vars, { x: 'a' });
  });

  const ERRORS: Array<[string, string, string[]]> = [
    ['an unknown section type', ini('[web:host]', 'w1'), ["1:1 section [web:host] has an unknown type 'host': expected [web], [web:vars] or [web:children]"]],
    ['a section with a space', ini('[web servers]'), ["1:1 invalid section '[web servers]': a section is [group], [group:vars] or [group:children], without spaces"]],
    ['a host var without =', ini('[web]', 'w1 port 22'), ["2:4 expected key=value after the host name, got 'port'"]],
    ['an unclosed quote', ini('[web]', 'w1 x="a'), ["2:1 cannot read the host line 'w1 x=\"a': No closing quotation"]],
    ['a [g:vars] line without =', ini('[web]', 'w1', '[web:vars]', '  novalue'), ["4:3 expected key=value in [web:vars], got 'novalue'"]],
    ['two names in [g:children]', ini('[web]', 'w1', '[all2:children]', 'web db'), ["4:1 expected a group name in [all2:children], got 'web db'"]],
    ['vars of a group never defined', ini('[web]', 'w1', '[db:vars]', 'x=1'), ['3:1 section [db:vars] is for a group that is not defined: add a [db] or [db:children] section']],
    ['a child never defined', ini('[prod:children]', 'web'), ["2:1 [prod:children] names group 'web', which is not defined: add a [web] section"]],
    ['a host ending in :', ini('[web]', 'w1:'), ["2:1 invalid host 'w1:': a name cannot end in ':', which introduces a port"]],
    ['a YAML document start', ini('---', 'all:'), ["1:1 invalid host '---': this looks like a YAML file (name it .yml, or start it with a group)", "2:1 invalid host 'all:': a name cannot end in ':', which introduces a port"]],
    ['a bad range', ini('[web]', '  w[3:1]'), ["2:3 begin 3 is greater than end 1 in host range 'w[3:1]'"]],
    ['a complex number', ini('[web]', 'w1 z=1+2j'), ['2:4 complex numbers are not supported (in the value 1+2j); quote it to keep it as text']],
    ['a loop of children', ini('[a:children]', 'b', '[b:children]', 'a', '[a]', 'h'), ["4:1 group 'a' cannot be a child of 'b': 'b' is already inside 'a' (cycle: a > b > a)"]],
    ['a loop closed through a group defined later', ini('[a:children]', 'b', '[c:children]', 'a', '[b:children]', 'c', '[c]', 'h'), ["6:1 group 'c' cannot be a child of 'b': 'b' is already inside 'c' (cycle: c > a > b > c)"]],
  ];
  for (const [name, text, want] of ERRORS) it(`says where: ${name}`, () => assert.deepEqual(problems(text), want));

  it('reports every problem at once', () => {
    assert.deepEqual(problems(ini('[web]', 'w1 a', 'w2 b')).map((p) => p.split(' ')[0]), ['2:4', '3:4']);
  });
});
