import { strict as assert } from 'node:assert';
import { parseAddress } from '../../src/inventory/address.js';
import { expandHostRange } from '../../src/inventory/ranges.js';

const pad = (n: number) => String(n).padStart(2, '0');

// Ansible's documented examples (Inventory guide, "Adding ranges of hosts") and a few more.
const EXPANSIONS: Array<[string, string[]]> = [
  ['www[01:50].example.com', Array.from({ length: 50 }, (_, i) => `www${pad(i + 1)}.example.com`)],
  ['www[01:50:2].example.com', Array.from({ length: 25 }, (_, i) => `www${pad(2 * i + 1)}.example.com`)],
  ['db-[a:f].example.com', ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => `db-${c}.example.com`)],
  ['web[1:3]', ['web1', 'web2', 'web3']],
  ['web[8:11]', ['web8', 'web9', 'web10', 'web11']],
  ['web[001:003]', ['web001', 'web002', 'web003']],
  ['x[1:10:2]', ['x1', 'x3', 'x5', 'x7', 'x9']],
  ['x[:2]', ['x0', 'x1', 'x2']],
  ['x[a:e:2]', ['xa', 'xc', 'xe']],
  ['x[y:B]', ['xy', 'xz', 'xA', 'xB']],
  ['rack[1:2]-node[01:02]', ['rack1-node01', 'rack1-node02', 'rack2-node01', 'rack2-node02']],
  ['10.0.0.[1:3]', ['10.0.0.1', '10.0.0.2', '10.0.0.3']],
  ['[1:2].example.com', ['1.example.com', '2.example.com']],
  ['plain.example.com', ['plain.example.com']],
  ['web[5:5]', ['web5']],
];

const ERRORS: Array<[string, RegExp]> = [
  ['web[20:01]', /begin 20 is greater than end 01 in host range 'web\[20:01\]'/],
  ['web[01:100]', /zero-padded begin '01' and end '100' must have the same length/],
  ['db[f:a]', /begin 'f' comes after end 'a'/],
  ['db[a:5]', /both numbers or both single letters/],
  ['db[aa:zz]', /both numbers or both single letters/],
  ['x[1:3:0]', /step must be a whole number of at least 1/],
  ['x[1:3:-1]', /step must be a whole number of at least 1/],
  ['x[1]', /expected \[begin:end\] or \[begin:end:step\]/],
  ['x[1:2:3:4]', /expected \[begin:end\] or \[begin:end:step\]/],
  ['x[1:]', /missing end value/],
  ['x[1:3', /unclosed '\['/],
  ['x[1:1000000]', /more than 100000 hosts/],
];

describe('inventory/ranges', () => {
  for (const [name, names] of EXPANSIONS) {
    it(`${name} → ${names.length} host(s)`, () => assert.deepEqual(expandHostRange(name), { ok: true, names }));
  }
  for (const [name, message] of ERRORS) {
    it(`${name} is refused`, () => {
      const r = expandHostRange(name);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.message, message);
    });
  }
});

// Ansible's parse_address: host, host:port, [v6]:port, ranges inside.
const ADDRESSES: Array<[string, { host: string; port?: number } | undefined]> = [
  ['web1', { host: 'web1' }],
  ['web1:2222', { host: 'web1', port: 2222 }],
  ['badwolf.example.com:5309', { host: 'badwolf.example.com', port: 5309 }],
  ['192.0.2.10:22', { host: '192.0.2.10', port: 22 }],
  ['web[01:20]', { host: 'web[01:20]' }],
  ['db-[a:f]:2200', { host: 'db-[a:f]', port: 2200 }],
  ['10.0.[1:3].4', { host: '10.0.[1:3].4' }],
  ['::1', { host: '::1' }],
  ['fe80::1:2', { host: 'fe80::1:2' }],
  ['[2001:db8::1]:22', { host: '2001:db8::1', port: 22 }],
  ['::ffff:192.0.2.1', { host: '::ffff:192.0.2.1' }],
  ['webservers:dbservers', undefined],
  ['web*', undefined],
  ['-bad', undefined],
];

describe('inventory/address', () => {
  for (const [text, want] of ADDRESSES) {
    it(`${text} → ${JSON.stringify(want)}`, () => assert.deepEqual(parseAddress(text), want));
  }
  it('[fe80::1] is a host range for Ansible too (refused): the message says where an IPv6 address goes', () => {
    const r = expandHostRange('[fe80::1]');
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /'\[fe80::1\]' is read as a host range, as Ansible reads it; an IPv6 address goes in ansible_host, without brackets \(ansible_host: fe80::1\)/);
  });
});
