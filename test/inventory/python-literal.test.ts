import { strict as assert } from 'node:assert';
import { LiteralError, parseIniValue } from '../../src/inventory/python-literal.js';
import { ShlexError, shlexSplit } from '../../src/inventory/shlex.js';
import { pythonTyped, runPython, sameButIntegralFloats, type Typed, typedJs } from '../python-typed.js';

/** INI values and host lines, compared with what Ansible's INI plugin itself makes of them. */

const VALUES = [
  '1', '-5', '+3', '0', '-0', '00', '0x1f', '0X1F', '0o17', '0b101', '1_000', '0x_ff', '1.5', '-2.25', '1e3', '1E+5', '2.5e-3',
  '.5', '5.', '1.e5', '1_0.5_0', '010', '007', '0_7', '1__0', '12345678901234', '1.5e', '9' + '0'.repeat(16),
  'True', 'False', 'None', 'true', 'false', 'none', 'yes', 'no', 'on', 'null', 'inf', 'nan', '-True',
  "'a'", '"b"', "'a' 'b'", '"a" \'b\'', "r'\\d+'", "'\\d'", "u'x'", "b'hi'", "f'x'", "'''tri'''", "'it''s'", "'\\x41\\u00e9\\n\\t'",
  "'\\101'", "'unterminated", '"', '',
  '[1, 2]', '[1,]', '[]', "['a', [True, None]]", '(1,)', '(1)', '()', '(1, 2)', '1, 2', '1,', '{}', "{'a': 1, 'b': [1, 'x']}",
  "{'a': 1,}", '{1: 2}', "{'a': {'b': {'c': 1.5}}}", '[,]', '{,}',
  '1 # comment', 'a # comment', 'a b', ' 1', '\t2', '1 2', "'a' b", '-(1)', '-((2.5))', '-(1,)', '--1', '1+2', '1-1', '(-1)',
  '[-1.5e-3]', 'hello', 'hello world', '/etc/ssl', 'a=b', '{{ var }}', "'{{ var }}'", '$HOME', 'x[0]', 'print(1)', '__import__',
];

const LINES = [
  'h a=1 b="x y" c=\'z\'', 'h x=a#b y=2', 'h #c', 'h x="a#b"', 'h x="" y=\'\'', 'h x=a\\ b', 'h x="a\\nb\\\\c"',
  'h\tx=1  \t y=2', 'h x=\\"q\\"', 'h x=ab"cd ef"gh', "h x='a\"b'", 'h x="a\'b"', 'h x="un', "h x='un", 'h x=\\',
  'h ansible_ssh_common_args=\'-o ProxyJump="bastion 1"\'', 'h list="[1, 2]"', 'a"b"c', '"quoted host" x=1',
];

describe('inventory/python-literal: INI values as Ansible reads them (differential)', function () {
  this.timeout(60_000);
  let python: Array<{ ok: Typed } | { error: string }>;
  before(async () => {
    python = await runPython(`
import json, sys
from ansible.plugins.inventory.ini import InventoryModule
${pythonTyped}
out = []
for text in json.load(sys.stdin):
    try:
        out.append({'ok': typed(InventoryModule._parse_value(text))})
    except Exception as e:
        out.append({'error': repr(e)})
print(json.dumps(out))
`, VALUES);
  });

  it(`reads ${VALUES.length} values as Python's ast.literal_eval does in Ansible's INI plugin`, () => {
    const problems: string[] = [];
    const known: Record<string, string[]> = { 'integral-float': [], 'refused': [] };
    VALUES.forEach((text, i) => {
      const theirs = python[i] as { ok: Typed } | { error: string };
      let mine: Typed;
      try {
        mine = typedJs(parseIniValue(text));
      } catch (err) {
        if (!(err instanceof LiteralError)) throw err;
        // Refused with a message: values remedy cannot keep (too large integers, complex, sets).
        known['refused']?.push(text);
        return;
      }
      if (!('ok' in theirs)) problems.push(`${JSON.stringify(text)}: Python failed (${theirs.error}), remedy ${JSON.stringify(mine)}`);
      else if (JSON.stringify(mine) === JSON.stringify(theirs.ok)) return;
      else if (sameButIntegralFloats(mine, theirs.ok)) known['integral-float']?.push(text);
      else problems.push(`${JSON.stringify(text)}: remedy ${JSON.stringify(mine)}, Python ${JSON.stringify(theirs.ok)}`);
    });
    assert.deepEqual(problems, []);
    // Known: JavaScript has one number type (see known-differences.ts), and a too large integer is refused.
    assert.deepEqual(known, { 'integral-float': ['1e3', '1E+5', '5.', '1.e5'], refused: ['9' + '0'.repeat(16)] });
  });

  it('refuses values remedy cannot keep, saying why', () => {
    const refused = (t: string) => assert.throws(() => parseIniValue(t), (e: unknown) => e instanceof LiteralError && e.message.length > 10, t);
    for (const t of ['1+2j', '3j', '{1, 2}', 'set()', '...', "'\\N{DASH}'", '123456789012345678901']) refused(t);
  });
});

describe('inventory/shlex: host lines split as Python shlex.split(comments=True) (differential)', function () {
  this.timeout(60_000);
  let python: Array<{ ok: string[] } | { error: string }>;
  before(async () => {
    python = await runPython(`
import json, sys
from ansible.utils.shlex import shlex_split
out = []
for line in json.load(sys.stdin):
    try:
        out.append({'ok': shlex_split(line, comments=True)})
    except ValueError as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`, LINES);
  });

  it(`splits ${LINES.length} lines the same, and fails on the same ones`, () => {
    LINES.forEach((line, i) => {
      const theirs = python[i] as { ok: string[] } | { error: string };
      let mine: { ok: string[] } | { error: string };
      try {
        mine = { ok: shlexSplit(line).map((t) => t.text) };
      } catch (err) {
        if (!(err instanceof ShlexError)) throw err;
        mine = { error: err.message };
      }
      assert.deepEqual(mine, theirs, line);
    });
  });

  it('gives where each token starts (for columns)', () => {
    assert.deepEqual(shlexSplit('web1  x="a b" y=2').map((t) => t.start), [0, 6, 14]);
  });
});
