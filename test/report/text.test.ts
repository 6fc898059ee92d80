import { strict as assert } from 'node:assert';
import { createPaint, formatDuration, sanitizeLine, splitLines, truncate } from '../../src/report/text.js';

describe('report text helpers', () => {
  it('truncate counts cells, not color codes, and resets a cut color', () => {
    const paint = createPaint(true);
    const red = paint('red', 'abcdef');
    assert.equal(truncate(red, 6), red);
    assert.equal(truncate(red, 4), '\u001b[31mabc…\u001b[0m');
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('abc', 1), '…');
    assert.equal(truncate('abc', 0), '');
    assert.equal(truncate('ééé€€', 4), 'ééé…');
  });
  it('sanitizeLine removes escape sequences and control characters', () => {
    assert.equal(sanitizeLine('a\u001b[31mb\u001b[0mc'), 'abc');
    assert.equal(sanitizeLine('title\u001b]0;evil\u0007!'), 'title!');
    assert.equal(sanitizeLine('x\ty\u0000z\u009b'), 'x y?z?');
  });
  it('splitLines keeps what a terminal would show of \\r redraws and drops trailing blanks', () => {
    assert.deepEqual(splitLines('10%\r50%\r100%\r\nok\r\n\n\n'), ['100%', 'ok']);
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines(undefined), []);
  });
  it('formatDuration', () => {
    assert.equal(formatDuration(0), '0.0s');
    assert.equal(formatDuration(349), '0.3s');
    assert.equal(formatDuration(59_949), '59.9s');
    assert.equal(formatDuration(125_000), '2m05s');
    assert.equal(formatDuration(-1), '?');
  });
  it('createPaint(false) returns the text as is', () => {
    assert.equal(createPaint(false)(['red', 'bold'], 'x'), 'x');
    assert.equal(createPaint(true)(['red', 'bold'], 'x'), '\u001b[1m\u001b[31mx\u001b[39m\u001b[22m');
  });
});
