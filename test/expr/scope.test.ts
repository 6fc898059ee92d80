import { strict as assert } from 'node:assert';
import { VarScope, evaluate, renderTemplate } from '../../src/expr/index.js';
import { ExpressionError } from '../../src/model/errors.js';

describe('expr: VarScope (source is rendered when read, data never)', () => {
  const scope = (source: Record<string, unknown>, data: Record<string, unknown> = {}, top: Record<string, unknown> = {}): VarScope =>
    new VarScope([{ kind: 'source', vars: source }, { kind: 'data', vars: data }, { kind: 'source', vars: top }]);

  it('renders a source var against the whole scope, lazily, once', () => {
    const s = scope({ base: '/opt', bin: '{{ base }}/bin', list: ['{{ bin }}', 2] });
    assert.equal(evaluate('bin', s), '/opt/bin');
    assert.deepEqual(evaluate('list', s), ['/opt/bin', 2]);
    assert.equal(renderTemplate('{{ list[0] }}!', s), '/opt/bin!');
  });

  it('never renders data: host output holding a template stays text, at any depth', () => {
    const out = { stdout: '{{ secret_name }}', lines: ['{% raw %}', { deep: '{{ groups }}' }] };
    const s = scope({ secret_name: 'nope', copy: '{{ out.stdout }}' }, { out });
    assert.equal(evaluate('out.stdout', s), '{{ secret_name }}');
    assert.deepEqual(evaluate('out.lines', s), ['{% raw %}', { deep: '{{ groups }}' }]);
    // A source var that reads data gets the data as it is; the result is final, not rendered again.
    assert.equal(evaluate('copy', s), '{{ secret_name }}');
  });

  it('keeps the precedence of the layers (later wins), a data layer above a source one', () => {
    const s = scope({ x: 'inventory', y: 'inventory' }, { x: 'registered' }, { y: 'extra' });
    assert.equal(evaluate('x', s), 'registered');
    assert.equal(evaluate('y', s), 'extra');
    assert.equal(evaluate('x', s.withData({ x: 'newest' })), 'newest');
  });

  it('a var whose template fails only fails when it is read', () => {
    const s = scope({ broken: '{{ missing }}', fine: 1 });
    assert.equal(evaluate('fine', s), 1);
    assert.throws(() => evaluate('broken', s), (e: unknown) => e instanceof ExpressionError && /undefined variable 'missing'/.test(e.message));
  });

  it('variables that render each other in a loop are an error, not their text', () => {
    const s = scope({ a: '{{ b }}', b: '{{ a }}', c: 'x{{ c }}' });
    assert.throws(() => evaluate('a', s), (e: unknown) => e instanceof ExpressionError && /recursive loop in variables: a → b → a/.test(e.message));
    assert.throws(() => evaluate('c', s), /recursive loop in variables: c → c/);
  });

  it('refuses the same names as plain lookups', () => {
    const s = scope({ __proto__x: 1 });
    assert.deepEqual(s.lookup('__proto__'), { found: false, value: undefined });
    assert.deepEqual(s.lookup('constructor'), { found: false, value: undefined });
    assert.deepEqual(s.lookup('toString'), { found: false, value: undefined });
  });
});
