import { strict as assert } from 'node:assert';
import { parseYamlText } from '../../src/config/yaml-file.js';
import { ConfigError } from '../../src/model/errors.js';
import { pythonTyped, runPython, sameButIntegralFloats, type Typed, typedJs } from '../python-typed.js';

/** YAML scalars as Ansible's loader (PyYAML's YAML 1.1 resolver) types them, compared with it. */

const SCALARS = [
  // booleans: three spellings of yes/no/true/false/on/off; y and n stay strings in PyYAML
  'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  'y', 'Y', 'n', 'N', 'yEs', 'tRUE', 'oN', 'nO', '"yes"', "'no'", 'yes please', 'on_call',
  // integers: octal, hex, binary, underscores, sexagesimal
  '0', '-0', '+12', '42', '0644', '0o644', '0x1F', '0xff_ff', '0b1010', '-0b11', '1_000', '1__0', '12:30', '1:02:03', '-1:30', '08', '09', '0:30', '007', '0_7', '190:20:30',
  // floats: a dot is needed; exponents need a sign
  '1.5', '-2.25', '1.', '.5', '-.5', '1_000.5', '1.0e+3', '1.0e3', '1e3', '1e+3', '1:30.5', '6.02e+23', '.inf', '-.inf', '+.inf', '.Inf', '.NaN', '1.5e-7', '0.1',
  // nulls
  '~', 'null', 'Null', 'NULL', 'nULL', '""', "'~'",
  // dates and timestamps (as Ansible prints them: isoformat)
  '2024-01-05', '2024-1-5', '2024-1-5 10:20:30', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2002-12-14T02:59:43Z',
  '2001-12-14 21:59:43 +5:30', '2001-12-15T02:59:43.1234567Z', '2001-12-14 21:59:43.0',
  // strings that look like something else
  '0.1.2', '1-2', '"12:30"', 'v1.0', '1e', '0x', '12:61', '192.168.0.1', '::1', '1_', '0b2', 'http://x:80', '--1',
];

describe('config/yaml-11: YAML scalars as Ansible reads them (differential against its loader)', function () {
  this.timeout(60_000);
  // Each scalar as a mapping value (k…) and in a flow list (l…), but those PyYAML cannot read in
  // a flow list (a plain ':' there is a syntax error to it).
  const flow = (s: string) => !s.includes(':');
  const text = SCALARS.map((s, i) => `k${i}: ${s}${flow(s) ? `\nl${i}: [${s}]` : ''}`).join('\n') + '\n';
  let python: Record<string, Typed>;
  before(async () => {
    python = await runPython(`
import json, sys
from ansible.parsing.yaml.loader import AnsibleLoader
${pythonTyped}
print(json.dumps({k: typed(v) for k, v in AnsibleLoader(json.load(sys.stdin)).get_single_data().items()}))
`, text);
  });

  it(`types ${SCALARS.length} plain scalars, in a mapping and in a flow list, as PyYAML does`, () => {
    const mine = parseYamlText('f.yml', text).value as Record<string, unknown>;
    const problems: string[] = [];
    const integralFloats: string[] = [];
    for (const [key, theirs] of Object.entries(python)) {
      const got = typedJs(mine[key]);
      const scalar = SCALARS[Number(key.slice(1))] as string;
      if (JSON.stringify(got) === JSON.stringify(theirs)) continue;
      if (sameButIntegralFloats(got, theirs)) integralFloats.push(`${key[0]}:${scalar}`);
      else problems.push(`${key} ${scalar}: remedy ${JSON.stringify(got)}, PyYAML ${JSON.stringify(theirs)}`);
    }
    assert.deepEqual(problems, []);
    // Known (JavaScript has one number type): a float with an integral value is an integer.
    assert.deepEqual(integralFloats, ['k:1.', 'l:1.', 'k:1.0e+3', 'l:1.0e+3']);
  });

  it('makes ansible_become: yes a boolean and debug_mode: no false', () => {
    assert.deepEqual(parseYamlText('f.yml', 'ansible_become: yes\ndebug_mode: no\nflag: y\n').value, { ansible_become: true, debug_mode: false, flag: 'y' });
  });

  it('reads text that is JSON as JSON, as Ansible does (1e3 is a number there)', () => {
    assert.deepEqual(parseYamlText('f.json', '{"a": 1e3, "b": "yes"}').value, { a: 1000, b: 'yes' });
    assert.deepEqual(parseYamlText('f.yml', 'a: 1e3\n').value, { a: '1e3' });
  });

  it('refuses, at line:column, a date that does not exist and an integer too large to keep exactly', () => {
    try {
      parseYamlText('f.yml', 'ok: 1\nwhen: 2024-02-30\nbig: 99999999999999999999\n');
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.problems.map((p) => `${p.line}:${p.column}`), ['2:7', '3:6']);
      assert.match(err.problems[0]?.message ?? '', /'2024-02-30' is read as a date in YAML 1\.1 but is not a valid date \(quote it/);
      assert.match(err.problems[1]?.message ?? '', /the integer 99999999999999999999 is too large/);
    }
  });
});
