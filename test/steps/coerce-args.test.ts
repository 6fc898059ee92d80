import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { coerceToSchema } from '../../src/steps/coerce-args.js';

/**
 * Ansible's own conversions of module arguments (ansible-core's check_type_bool, check_type_float and
 * check_type_int), run once for every input: the value, or 'error' when Ansible refuses it.
 */
function ansibleConversions(inputs: unknown[]): Array<{ bool: unknown; float: unknown; int: unknown }> {
  const script = String.raw`
import json, math, sys
from ansible.module_utils.common.validation import check_type_bool, check_type_float, check_type_int
def run(f, v):
    try:
        r = f(v)
        return r if not isinstance(r, float) or math.isfinite(r) else 'not-finite'
    except (TypeError, ValueError):
        return 'error'
print(json.dumps([{'bool': run(check_type_bool, v), 'float': run(check_type_float, v), 'int': run(check_type_int, v)} for v in json.load(sys.stdin)]))
`;
  const res = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(inputs), encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout) as Array<{ bool: unknown; float: unknown; int: unknown }>;
}

/** What the strict check then sees: the converted value, or 'error' when it is still not of the type. */
function ours(type: 'boolean' | 'number' | 'integer', v: unknown): unknown {
  const out = coerceToSchema({ type }, v);
  const ok = type === 'boolean' ? typeof out === 'boolean' : type === 'number' ? typeof out === 'number' : Number.isInteger(out) && typeof out === 'number';
  return ok ? out : 'error';
}

describe('steps/coerce-args: rendered strings become the numbers and booleans a step asks for', () => {
  const words = ['y', 'Y', 'yes', 'YES', ' yes ', 'on', 'On', '1', 'true', 'True', 't', 'T', 'n', 'no', 'No', 'off', '0', 'false', 'FALSE', 'f',
    'maybe', '', ' ', 'yes please', '2', 'ja', 'nope'];
  const numbers = ['300', ' 300 ', '+5', '-2', '2.5', '.5', '5.', '1e3', '1E-2', '-0', '007', '12.0', 'soon', '', '1 2', '0x10', '0b1', '1..2', '--1',
    '1e400', '1_000', 'inf', 'nan'];
  const nonStrings = [1, 0, 2, 1.5, true, false, null];

  /** Where remedy and Ansible differ on purpose (none for booleans). */
  const knownFloat: Record<string, string> = {
    '1e400': 'Python reads it as inf; a number of seconds must be finite, so remedy refuses it',
    '1_000': 'Python 3.6+ allows digit separators in float(); remedy accepts plain decimals only',
    inf: 'Python reads inf; a number of seconds must be finite',
    nan: 'Python reads nan; not a number of seconds',
  };
  const knownInt: Record<string, string> = {
    '1_000': 'Python 3.6+ allows digit separators in int(); remedy accepts plain decimals only',
    // Ansible's check_type_int takes only strings and ints: a float (1.5) or a bool fails there too, but a
    // float such as 2.0 is an integer in JSON; the non-strings below are not compared for int.
  };

  it('agrees with Ansible for every input, apart from the named known cases', () => {
    const inputs = [...words, ...numbers, ...nonStrings];
    const ansible = ansibleConversions(inputs);
    const diffs: string[] = [];
    inputs.forEach((v, i) => {
      const a = ansible[i]!;
      const key = String(v);
      if (JSON.stringify(ours('boolean', v)) !== JSON.stringify(a.bool)) diffs.push(`bool ${JSON.stringify(v)}: ansible ${JSON.stringify(a.bool)}, remedy ${JSON.stringify(ours('boolean', v))}`);
      if (typeof v === 'string' && !(key in knownFloat)) {
        const want = a.float === 'not-finite' ? 'error' : a.float;
        if (JSON.stringify(ours('number', v)) !== JSON.stringify(want)) diffs.push(`float ${JSON.stringify(v)}: ansible ${JSON.stringify(a.float)}, remedy ${JSON.stringify(ours('number', v))}`);
      }
      if (typeof v === 'string' && !(key in knownInt) && JSON.stringify(ours('integer', v)) !== JSON.stringify(a.int)) {
        diffs.push(`int ${JSON.stringify(v)}: ansible ${JSON.stringify(a.int)}, remedy ${JSON.stringify(ours('integer', v))}`);
      }
    });
    assert.deepEqual(diffs, []);
    for (const k of Object.keys(knownFloat)) {
      const a = ansible[inputs.indexOf(k)]!;
      assert.notEqual(a.float, 'error', `${k} is no longer a difference: drop it from the known cases`);
      assert.equal(ours('number', k), 'error', k);
    }
    for (const k of Object.keys(knownInt)) assert.equal(ours('integer', k), 'error', k);
  });

  it('converts inside mappings, lists and the optional-arguments form, and leaves what the schema admits alone', () => {
    const schema = {
      type: ['object', 'null'],
      properties: {
        force: { type: 'boolean' },
        timeout: { type: 'number' },
        names: { type: 'array', items: { type: 'string' } },
        pids: { type: 'array', items: { type: ['integer', 'string'] } },
        msg: { type: 'string' },
      },
    };
    assert.deepEqual(
      coerceToSchema(schema, { force: 'yes', timeout: '300', names: ['a', 5], pids: ['12', 13], msg: 42, other: '1' }),
      { force: true, timeout: 300, names: ['a', '5'], pids: ['12', 13], msg: '42', other: '1' },
    );
    assert.equal(coerceToSchema(schema, null), null);
    assert.deepEqual(coerceToSchema({ anyOf: [{ type: 'string' }, { type: 'object', properties: { n: { type: 'number' } } }] }, { n: '2' }), { n: 2 });
    assert.equal(coerceToSchema({ type: 'boolean' }, 'maybe'), 'maybe');
  });
});
