import assert from 'node:assert/strict';
import { editDistance, suggestName } from '../../src/config/suggest.js';

describe('config/suggest', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    assert.equal(editDistance('comand', 'command'), 1);
    assert.equal(editDistance('shlel', 'shell'), 1);
    assert.equal(editDistance('abc', 'abc'), 0);
    assert.equal(editDistance('', 'abc'), 3);
  });
  it('suggests the closest candidate only when it is close enough', () => {
    const names = ['command', 'shell', 'when', 'register', 'notify', 'ignore_errors', 'changed_when', 'failed_when'];
    assert.equal(suggestName('comand', names), 'command');
    assert.equal(suggestName('regsiter', names), 'register');
    assert.equal(suggestName('ignore-errors', names), 'ignore_errors');
    assert.equal(suggestName('IgnoreErrors', names), 'ignore_errors');
    assert.equal(suggestName('wen', names), 'when');
    assert.equal(suggestName('frobnicate', names), undefined);
    assert.equal(suggestName('ab', names), undefined);
  });
});
