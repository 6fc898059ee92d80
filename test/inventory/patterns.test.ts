import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/model/errors.js';
import { parseInventoryText, selectHosts, selectHostsReporting, splitPattern } from '../../src/inventory/index.js';

// The groups of Ansible's "Patterns: targeting hosts and groups" page, with hosts to tell them apart.
// Each result below is what ansible-core 2.14 gives (test/inventory/differential.test.ts compares
// many more with it); the order is the order in which the parts add hosts, not the file's.
const inv = parseInventoryText(
  'inv.yml',
  `
all:
  hosts:
    mail.example.com:
  children:
    webservers:
      hosts: { foo.example.com: , bar.example.com: , one.example.com: }
    dbservers:
      hosts: { one.example.com: , two.example.com: , three.example.com: , 192.0.2.10: }
    atlanta:
      hosts: { foo.example.com: , two.example.com: }
    phoenix:
      hosts: { three.example.com: }
    staging:
      hosts: { bar.example.com: , one.example.com: , two.example.com: , three.example.com: }
`,
);

const short = (names: string[]) => names.map((n) => n.replace('.example.com', ''));
const select = (pattern: string, limit?: string) => short(selectHosts(inv, pattern, limit).map((h) => h.name));
const everyone = ['mail', 'foo', 'bar', 'one', 'two', 'three', '192.0.2.10'];

const PATTERNS: Array<[string, string[]]> = [
  ['all', everyone],
  ['*', everyone],
  ['foo.example.com', ['foo']],
  ['foo.example.com:bar.example.com', ['foo', 'bar']],
  ['foo.example.com,bar.example.com', ['foo', 'bar']],
  ['webservers', ['foo', 'bar', 'one']],
  ['webservers:dbservers', ['foo', 'bar', 'one', 'two', 'three', '192.0.2.10']],
  ['webservers,dbservers', ['foo', 'bar', 'one', 'two', 'three', '192.0.2.10']],
  ['dbservers:webservers', ['one', 'two', 'three', '192.0.2.10', 'foo', 'bar']], // dbservers first, as written
  ['webservers:!atlanta', ['bar', 'one']],
  ['webservers:&staging', ['bar', 'one']],
  ['webservers:dbservers:&staging:!phoenix', ['bar', 'one', 'two']],
  ['!phoenix:&staging:webservers:dbservers', ['bar', 'one', 'two']], // unions, then &, then !
  ['webservers , dbservers , &staging , !phoenix', ['bar', 'one', 'two']],
  ['&staging', ['bar', 'one', 'two', 'three']], // only & and !: applied to all
  ['!staging', ['mail', 'foo', '192.0.2.10']],
  ['192.0.*', ['192.0.2.10']],
  ['*.example.com', ['mail', 'foo', 'bar', 'one', 'two', 'three']],
  ['one*.com:dbservers', ['one', 'two', 'three', '192.0.2.10']],
  ['a*', everyone], // a glob matches the group 'all' too
  ['webservers dbservers', ['foo', 'bar', 'one', 'two', 'three', '192.0.2.10']], // spaces separate too, without commas
  ['t?o.example.com', ['two']],
  ['[ft]*.example.com', ['foo', 'two', 'three']],
  ['[!ft]*.example.com', ['mail', 'bar', 'one']],
  ['web*', ['foo', 'bar', 'one']],
  ['~(web|db).*', ['foo', 'bar', 'one', 'two', 'three', '192.0.2.10']],
  ['~(foo|two)\\.example\\.com', ['foo', 'two']],
  ['~.*ree', ['three']],
  ['ungrouped', ['mail']],
  ['webservers[0]', ['foo']],
  ['webservers[-1]', ['one']],
  ['webservers[0:1]', ['foo', 'bar']],
  ['dbservers[1:]', ['two', 'three', '192.0.2.10']],
  ['atlanta,~thr.*,dbservers[0],&staging', ['two', 'three', 'one']],
  ['webservers,&staging,~^t.*,!phoenix', ['bar', 'one', 'two']],
];

describe('inventory/patterns: Ansible examples', () => {
  for (const [pattern, want] of PATTERNS) it(`${pattern} → ${want.join(' ')}`, () => assert.deepEqual(select(pattern), want));
});

describe('inventory/patterns: subscripts (the docs\' cobweb, webbing, weber)', () => {
  const web = parseInventoryText('inv.yml', 'webservers:\n  hosts:\n    cobweb:\n    webbing:\n    weber:\n');
  const sub = (p: string) => selectHosts(web, p).map((h) => h.name);
  const CASES: Array<[string, string[]]> = [
    ['webservers[0]', ['cobweb']],
    ['webservers[-1]', ['weber']],
    ['webservers[-3]', ['cobweb']],
    ['webservers[0:2]', ['cobweb', 'webbing', 'weber']], // Ansible's end is inclusive
    ['webservers[0:1]', ['cobweb', 'webbing']],
    ['webservers[1:]', ['webbing', 'weber']],
    ['webservers[1:0]', ['webbing']], // an end of 0 means one host, in Ansible's code
    ['webservers[2:1]', []],
    ['webservers[3:5]', []], // a slice past the end is empty, not an error
    ['webservers[1:1]', ['webbing']],
    ['webservers[1:9]', ['webbing', 'weber']],
    ['web*[1]', ['webbing']], // a glob that matches the group, then subscripted
    ['webservers[0],webservers[2]', ['cobweb', 'weber']],
  ];
  for (const [p, want] of CASES) it(`${p} → ${want.join(' ')}`, () => assert.deepEqual(sub(p), want));
  for (const p of ['webservers[3]', 'webservers[-4]']) {
    // As ansible-playbook and --limit ("No hosts matched the subscripted pattern").
    it(`${p} is refused`, () => assert.throws(() => sub(p), (e: unknown) => e instanceof UsageError && e.message === `pattern '${p}' selects no host: it has 3 hosts in inv.yml, counted from 0`));
  }
  it('[:1] is no subscript but a glob, as in Ansible: it matches nothing', () => {
    assert.throws(() => sub('webservers[:1]'), (e: unknown) => e instanceof UsageError && /pattern 'webservers\[:1\]' matches no host or group/.test(e.message));
  });
  it('the old [x-y] works as [x:y], with a warning', () => {
    assert.deepEqual(selectHostsReporting(web, 'webservers[0-1]').hosts.map((h) => h.name), ['cobweb', 'webbing']);
    assert.deepEqual(selectHostsReporting(web, 'webservers[0-1]').warnings, ["host pattern 'webservers[0-1]': use [x:y] (inclusive) instead of the old [x-y]"]);
  });
});

describe('inventory/patterns: a host and a group with the same name', () => {
  const both = parseInventoryText('inv.yml', 'web:\n  hosts:\n    web:\n    web2:\n');
  it('a plain name that is a host selects that host', () => assert.deepEqual(selectHosts(both, 'web').map((h) => h.name), ['web']));
  it('a glob selects the group', () => assert.deepEqual(selectHosts(both, 'we?').map((h) => h.name), ['web', 'web2']));
});

describe('inventory/patterns: warnings and errors', () => {
  const warned = (pattern: string, limit?: string) => selectHostsReporting(inv, pattern, limit);
  it('a part that matches nothing inside a larger pattern is a warning, as in Ansible', () => {
    assert.deepEqual(warned('webservers:!webz'), { hosts: selectHosts(inv, 'webservers'), warnings: ["pattern 'webz' matches no host or group in inv.yml; ignored"] });
    assert.deepEqual(warned('webservers:&nothing').hosts, []);
    assert.deepEqual(warned('webservers:&nothing').warnings, ["pattern 'nothing' matches no host or group in inv.yml; ignored"]);
    assert.deepEqual(warned('webservers,nope*,nope*').warnings, ["pattern 'nope*' matches no host or group in inv.yml; ignored"]);
    assert.deepEqual(warned('all', 'webservers:typo').warnings, ["pattern 'typo' matches no host or group in inv.yml; ignored"]);
  });
  const ERRORS: Array<[string, string]> = [
    ['webz', "pattern 'webz' matches no host or group in inv.yml"],
    ['!webz', "pattern 'webz' matches no host or group in inv.yml"], // Ansible would select every host
    ['webz:dbz', "no part of the host pattern 'webz:dbz' matches a host or group in inv.yml"],
    ['~^zz', "pattern '~^zz' matches no host or group in inv.yml"],
    ['localhost', "pattern 'localhost' matches no host or group in inv.yml (remedy adds no implicit localhost: list it with 'ansible_connection: local')"],
    ['webservers:&staging,dbservers', "host pattern 'webservers:&staging,dbservers': the part 'webservers:&staging' mixes ':' and ',' separators; separate all parts with ',' (Ansible would match 'webservers:&staging' as one name)"],
    ['', "empty host pattern ''"],
    [' , ', "empty host pattern ' , '"],
  ];
  for (const [pattern, message] of ERRORS) {
    it(`'${pattern}' → ${message}`, () => assert.throws(() => selectHosts(inv, pattern), (e: unknown) => e instanceof UsageError && e.message === message));
  }
  it('an invalid regex is a UsageError naming the pattern', () => {
    assert.throws(() => selectHosts(inv, '~(web'), (e: unknown) => e instanceof UsageError && /invalid regular expression in host pattern '~\(web'/.test(e.message));
  });
  it('reads Python regex syntax: (?i), (?P<name>…), \\Z', () => {
    assert.deepEqual(select('~(?i)FOO'), ['foo']);
    assert.deepEqual(select('~(?P<n>t)(wo|hree)\\.example\\.com\\Z'), ['two', 'three']);
  });
  it('matches with RE2 (linear time): a backreference is refused with the reason (test/cli/redos.test.ts: no hang)', () => {
    assert.throws(() => select('~(?P<n>t)(?P=n)?(wo|hree)'), /invalid regular expression .*RE2: no backreferences or lookaround/);
  });
  it('an empty intersection is an empty list, not an error', () => assert.deepEqual(select('atlanta:&phoenix'), []));
});

describe('inventory/patterns: --limit', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'remedy-limit-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('intersects the play pattern', () => assert.deepEqual(select('webservers', 'staging'), ['bar', 'one']));
  it('takes a whole pattern', () => assert.deepEqual(select('all', 'atlanta:dbservers:!phoenix'), ['foo', 'one', 'two', '192.0.2.10']));
  it('keeps the order of the play pattern', () => assert.deepEqual(select('dbservers:webservers', 'atlanta:phoenix'), ['two', 'three', 'foo']));
  it('can leave nothing of a play', () => assert.deepEqual(select('webservers', 'phoenix'), []));
  it('fails when no part matches anything, or when it selects no host at all (as Ansible)', () => {
    assert.throws(() => select('all', 'webz'), (e: unknown) => e instanceof UsageError && /pattern 'webz' matches no host or group/.test(e.message));
    assert.throws(() => select('all', 'atlanta:&phoenix'), (e: unknown) => e instanceof UsageError && e.message === "--limit 'atlanta:&phoenix' selects no host in inv.yml");
  });
  it('reads @file: one pattern a line', () => {
    const file = join(dir, 'retry');
    writeFileSync(file, 'foo.example.com\n# a comment\n\nthree.example.com\n');
    assert.deepEqual(select('all', `@${file}`), ['foo', 'three']);
    assert.deepEqual(select('staging', `@${file},two.example.com`), ['two', 'three']);
    writeFileSync(file, 'webservers:dbservers\n');
    assert.throws(() => select('all', `@${file}`), (e: unknown) => e instanceof UsageError && /'webservers:dbservers' holds ':'; write one host or pattern a line/.test(e.message));
  });
  it('says when @file cannot be read', () => {
    assert.throws(() => select('all', `@${join(dir, 'missing')}`), (e: unknown) => e instanceof UsageError && /cannot read limit file .*missing': ENOENT/.test(e.message));
  });
});

describe('inventory/patterns: splitting', () => {
  const SPLITS: Array<[string, string[]]> = [
    ['a,b[1], c[2:3] , d', ['a', 'b[1]', 'c[2:3]', 'd']],
    ['a:b:&c:!d', ['a', 'b', '&c', '!d']],
    ['a b  c', ['a', 'b', 'c']],
    ['a,b c', ['a', 'b c']],
    ['web[01:20]', ['web[01:20]']],
    ['g[1:]', ['g[1:]']],
    ['fe80::1', ['fe80::1']],
    ['~a:b,c', ['~a:b', 'c']],
    ['~a:b', ['~a', 'b']], // as Ansible: without a comma, ':' separates even in a regex
    ['web1:2222', ['web1:2222']],
  ];
  for (const [p, want] of SPLITS) it(`${p} → ${JSON.stringify(want)}`, () => assert.deepEqual(splitPattern(p), want));
});
