import { strict as assert } from 'node:assert';
import { formatInventoryGraph, formatInventoryList, parseInventoryText, selectHosts } from '../../src/inventory/index.js';

const inv = parseInventoryText(
  'inv.yml',
  `
all:
  vars:
    ntp: pool.example.com
  hosts:
    localhost:
      ansible_connection: local
  children:
    webservers:
      hosts:
        web2:
        web1:
          ansible_port: 2222
      children:
        atlanta:
    atlanta:
      hosts:
        a1:
    empty:
`,
);

describe('inventory/format: --list (ansible-inventory --list)', () => {
  it('prints every group with its own hosts and children, and merged hostvars, keys sorted, indent 4', () => {
    const want = {
      _meta: {
        hostvars: {
          a1: { ntp: 'pool.example.com' },
          localhost: { ansible_connection: 'local', ntp: 'pool.example.com' },
          web1: { ansible_port: 2222, ntp: 'pool.example.com' },
          web2: { ntp: 'pool.example.com' },
        },
      },
      all: { children: ['ungrouped', 'webservers', 'atlanta', 'empty'] },
      atlanta: { hosts: ['a1'] },
      ungrouped: { hosts: ['localhost'] },
      webservers: { hosts: ['web2', 'web1'], children: ['atlanta'] },
    };
    const out = formatInventoryList(inv, inv.hosts);
    assert.deepEqual(JSON.parse(out), want);
    assert.deepEqual(Object.keys(JSON.parse(out) as object), ['_meta', 'all', 'atlanta', 'ungrouped', 'webservers']);
    assert.match(out, /^\{\n {4}"_meta": \{\n {8}"hostvars": \{\n {12}"a1": \{\n {16}"ntp": "pool.example.com"\n/);
    assert.match(out, /"web1": \{\n {16}"ansible_port": 2222,\n {16}"ntp"/);
  });
  it('with --limit, lists only the selected hosts and drops groups left empty', () => {
    const out = JSON.parse(formatInventoryList(inv, selectHosts(inv, 'all', 'atlanta'))) as Record<string, unknown>;
    assert.deepEqual(out, {
      _meta: { hostvars: { a1: { ntp: 'pool.example.com' } } },
      all: { children: ['ungrouped', 'webservers', 'atlanta', 'empty'] },
      atlanta: { hosts: ['a1'] },
      webservers: { children: ['atlanta'] },
    });
  });
  it('leaves hosts without vars out of _meta.hostvars', () => {
    const bare = parseInventoryText('inv.yml', 'all:\n  hosts:\n    h1:\n');
    assert.deepEqual(JSON.parse(formatInventoryList(bare, bare.hosts)), { _meta: { hostvars: {} }, all: { children: ['ungrouped'] }, ungrouped: { hosts: ['h1'] } });
  });
});

describe('inventory/format: --graph (ansible-inventory --graph)', () => {
  it('draws groups then hosts, in the order they were added (ansible-core 2.14 does not sort), indented with "  |"', () => {
    assert.equal(
      formatInventoryGraph(inv, inv.hosts),
      [
        '@all:',
        '  |--@ungrouped:',
        '  |  |--localhost',
        '  |--@webservers:',
        '  |  |--@atlanta:',
        '  |  |  |--a1',
        '  |  |--web2',
        '  |  |--web1',
        '  |--@atlanta:',
        '  |  |--a1',
        '  |--@empty:',
      ].join('\n'),
    );
  });
  it('with --limit, shows only the selected hosts and the groups above them', () => {
    assert.equal(formatInventoryGraph(inv, selectHosts(inv, 'webservers', 'web1')), ['@all:', '  |--@webservers:', '  |  |--web1'].join('\n'));
  });
});
