import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { evaluate } from '../../src/expr/index.js';

/** The variables the expression tables evaluate against. */
export const vars = {
  a: 1,
  b: 2,
  zero: 0,
  s: 'Hello World',
  empty: '',
  n: null,
  t: true,
  f: false,
  list: [3, 1, 2],
  nested: { inner: { value: 42, list: ['x', 'y'] }, 'with-dash': 'd', 10: 'ten' },
  res: { status: 'changed', changed: true, failed: false, stdout: 'line1\nline2', rc: 0 },
};

export function expectError(source: string, message: string, offset: number, v: Record<string, unknown> = vars): void {
  assert.throws(() => evaluate(source, v), (err: unknown) => {
    assert.ok(err instanceof ExpressionError, `expected ExpressionError, got ${String(err)}`);
    assert.equal(err.message, message);
    assert.equal(err.offset, offset);
    assert.equal(err.expression, source);
    return true;
  });
}
