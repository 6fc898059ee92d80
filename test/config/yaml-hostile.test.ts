/** YAML a clumsy or hostile user may write: always a ConfigError at file:line:column (exit 5), never a crash. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { parseYamlText } from '../../src/config/yaml-file.js';
import { ConfigError } from '../../src/model/errors.js';
import { remedy, scratch } from '../cli/run-cli.js';

function problem(text: string): string {
  try {
    parseYamlText('f.yml', text);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${String(err)}`);
    return err.message;
  }
  return assert.fail('expected a ConfigError');
}

describe('config/yaml: hostile and broken YAML', () => {
  it('an alias to no anchor, a recursive alias, a merge key of a scalar: located problems', () => {
    assert.equal(problem('a: 1\nb: *nope\n'), 'f.yml:2:4: the alias *nope names no anchor set before it');
    assert.equal(problem('a: &a [1, *a]\n'), 'f.yml:1:11: the alias *a is inside the node it names (a recursive alias)');
    assert.equal(problem('x: &m {k: 1}\ny:\n  <<: 5\n'), 'f.yml:3:3: a merge key (<<) takes a mapping, an alias of one, or a list of those');
    assert.equal(problem('x: &m {k: 1}\ny: { <<: [*m, [1]] }\n'), 'f.yml:2:6: a merge key (<<) takes a mapping, an alias of one, or a list of those');
  });

  it('a list or a mapping as a key: a located problem (found by the property suite), no warning printed', () => {
    assert.equal(problem('a: 1\n? [1, 2]\n: b\n'), 'f.yml:2:3: a mapping key must be a plain value (text or a number), not a list or a mapping');
  });

  it('150 uses of one anchor are fine; an alias bomb is refused', () => {
    const uses = Array.from({ length: 150 }, (_, i) => `k${i}: *v`).join('\n');
    const value = parseYamlText('f.yml', `v: &v {a: 1}\n${uses}\n`).value as Record<string, unknown>;
    assert.deepEqual(value['k149'], { a: 1 });
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    assert.match(problem(`${levels.join('\n')}\n`), /^f\.yml: YAML: more than \d+ aliases expanded: an alias bomb\?$/);
  });

  it('3,000 levels of block nesting: a problem, not a crash', () => {
    const lines = ['root:'];
    for (let i = 1; i <= 3000; i++) lines.push(`${'  '.repeat(i)}k:`);
    assert.match(problem(`${lines.join('\n')} v\n`), /^f\.yml(:\d+:\d+)?: .*(nests too deeply|call stack)/);
  });

  it('a UTF-8 byte order mark is ignored, as Ansible ignores it', () => {
    assert.deepEqual(parseYamlText('f.yml', '\uFEFF- hosts: all\n  tasks: []\n').value, [{ hosts: 'all', tasks: [] }]);
  });

  it('through the CLI: -e @file with a broken alias, and a 100,000-character --limit, exit 5 with short messages', async function () {
    this.timeout(30_000);
    const dir = scratch({ 'bad.yml': 'x: *nope\n', 'p.yml': '- hosts: all\n  tasks: []\n', 'i.yml': 'all:\n  hosts:\n    h: { ansible_connection: local }\n' });
    const e = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '-e', `@${join(dir, 'bad.yml')}`]);
    assert.equal(e.code, 5, e.stderr);
    assert.match(e.stderr, /bad\.yml:1:4: the alias \*nope names no anchor set before it/);
    const limit = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '-l', 'a'.repeat(100_000)]);
    assert.equal(limit.code, 5, limit.stderr.slice(0, 500));
    assert.ok(limit.stderr.length < 2_000, `the message repeats the whole pattern (${limit.stderr.length} characters)`);
    assert.doesNotMatch(limit.stderr, /\n\s+at /, 'no stack trace');
  });
});
