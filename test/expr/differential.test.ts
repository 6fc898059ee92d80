/**
 * The template language compared with the real thing: every case of differential-cases.ts and
 * differential-filters.ts is rendered by ansible-core 2.14's own Templar (jinja-reference.py, one
 * python3 run for the whole table) and by remedy, and the results must be equal, types included
 * (int, float, str, bool, None, list, tuple, dict). An error must be an error on both sides (an
 * undefined variable on both sides, or another error on both sides). Every case where remedy
 * still differs is listed in KNOWN with the reason; such a case must really differ, so the list
 * stays true.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ExpressionError } from '../../src/model/errors.js';
import { evaluateCondition, renderTemplate } from '../../src/expr/index.js';
import { floatRepr } from '../../src/expr/py-text.js';
import { isTuple } from '../../src/expr/py-values.js';
import { CONDITION_CASES, TEMPLATE_CASES, VARS, type Case } from './differential-cases.js';
import { FILTER_CASES } from './differential-filters.js';

const PYTHON = '/usr/bin/python3';
const REFERENCE = fileURLToPath(new URL('./jinja-reference.py', import.meta.url));

const RENDERED_TEXT = "Ansible evaluates the text a condition's template renders ('yes', 'x') again as an expression (an undefined variable here); remedy never evaluates rendered text (except a constant such as 0, true or ()) and refuses it";

/** Cases where remedy does not give Ansible's result, and why. */
const KNOWN: Record<string, string> = {
  '{{ [big / 1] }}': 'a whole-valued float inside a list leaves the language as a JavaScript number (JSON has one number type): 4040.0 becomes 4040',
  '{{ 10 ** 20 }}': 'remedy computes integers exactly only up to 2**53 and stops with an error beyond; Python prints every digit',
  '{% macro m() %}x{% endmacro %}': 'remedy refuses macros (a macro defined and never called renders nothing in Ansible)',
  'x{{ {"b": {"c": 1}, "a": [1, "x"]} | to_nice_yaml }}': 'to_yaml/to_nice_yaml write YAML with the yaml package: with indent 4 a list under a key is indented where PyYAML writes it flush with the key',
  '{{ str_yes }}': RENDERED_TEXT,
  '{{ "x" }}': RENDERED_TEXT,
  '1 if t else 0': 'remedy accepts an inline if-expression as a whole condition; ansible-core puts the condition in {% if … %}, where it is a syntax error',
  '{{ lookup("env", "HOME") }}': 'remedy runs no lookup plugins: lookup() is refused (Ansible reads the controller environment)',
  '{{ nums.append(1) }}': 'remedy refuses methods that change a value in place (Ansible prints the bound method)',
};

type Result = { value: unknown } | { error: string };

/** remedy's value in the reference's typed encoding. */
function typed(v: unknown): unknown {
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'string') return v ?? null;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return { float: Number.isFinite(v) ? v : floatRepr(v) };
    return Number.isSafeInteger(v) ? v : { bigint: BigInt(v).toString() };
  }
  if (Array.isArray(v)) return isTuple(v) ? { tuple: v.map(typed) } : v.map(typed);
  if (typeof v === 'object') return { dict: Object.entries(v).map(([k, x]) => [k, typed(x)]) };
  return { other: typeof v };
}

function runRemedy(c: Case): Result {
  try {
    const value = c.kind === 'condition' ? evaluateCondition(c.text, VARS) : renderTemplate(c.text, VARS);
    return { value: typed(value) };
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    return { error: err.message };
  }
}

function errorKind(message: string, remedy: boolean): string {
  if (remedy) return /undefined variable|undefined attribute|has no attribute|has no item|is none and has no|mandatory variable|empty list/.test(message) ? 'undefined' : 'error';
  return /^AnsibleUndefinedVariable|is undefined|Mandatory variable/.test(message) ? 'undefined' : 'error';
}

function agree(ours: Result, theirs: Result): boolean {
  if ('error' in ours || 'error' in theirs) {
    return 'error' in ours && 'error' in theirs && errorKind(ours.error, true) === errorKind(theirs.error, false);
  }
  return JSON.stringify(ours.value) === JSON.stringify(theirs.value);
}

describe('expr: differential test against ansible-core 2.14 Templar (Jinja2 as Ansible configures it)', function () {
  this.timeout(120_000);
  const cases = [...TEMPLATE_CASES, ...FILTER_CASES, ...CONDITION_CASES];
  let reference: Result[] = [];

  before(() => {
    const input = JSON.stringify(cases.map((c) => ({ kind: c.kind, text: c.text, vars: VARS })));
    const out = execFileSync(PYTHON, [REFERENCE], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
    reference = JSON.parse(out.trim().split('\n').pop()!) as Result[];
  });

  it(`compares at least 150 cases, each text once`, () => {
    assert.ok(cases.length >= 150, `${cases.length} cases`);
    const texts = cases.map((c) => `${c.kind}:${c.text}`);
    assert.deepEqual(texts.filter((x, i) => texts.indexOf(x) !== i), []);
    assert.equal(reference.length, cases.length);
    for (const text of Object.keys(KNOWN)) assert.ok(cases.some((c) => c.text === text), `KNOWN lists a case that is not in the table: ${text}`);
  });

  cases.forEach((c, i) => {
    const known = KNOWN[c.text];
    it(`${c.kind} ${JSON.stringify(c.text)}${known ? ' (known difference)' : ''}`, () => {
      const theirs = reference[i]!;
      const ours = runRemedy(c);
      const detail = `\n  ansible: ${JSON.stringify(theirs)}\n  remedy:  ${JSON.stringify(ours)}`;
      if (known) assert.ok(!agree(ours, theirs), `listed as a known difference (${known}) but remedy now agrees:${detail}`);
      else assert.ok(agree(ours, theirs), `remedy differs from ansible-core:${detail}`);
    });
  });
});
