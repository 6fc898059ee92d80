import { strict as assert } from 'node:assert';
import { colorEnabled } from '../../src/report/color.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colorEnabled', () => {
  it('follows the stream when nothing is set', () => {
    assert.equal(colorEnabled(tty, {}), true);
    assert.equal(colorEnabled(pipe, {}), false);
    assert.equal(colorEnabled({}, {}), false);
  });
  it('NO_COLOR with any non-empty value disables, even on a TTY and with FORCE_COLOR', () => {
    assert.equal(colorEnabled(tty, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: 'false' }), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
  });
  it('an empty NO_COLOR is ignored', () => {
    assert.equal(colorEnabled(tty, { NO_COLOR: '' }), true);
  });
  it('FORCE_COLOR enables on a pipe; FORCE_COLOR=0 disables on a TTY', () => {
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: '1' }), true);
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: '' }), true);
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: '3' }), true);
    assert.equal(colorEnabled(tty, { FORCE_COLOR: '0' }), false);
    assert.equal(colorEnabled(tty, { FORCE_COLOR: 'false' }), false);
  });
  it('TERM=dumb disables on a TTY', () => {
    assert.equal(colorEnabled(tty, { TERM: 'dumb' }), false);
    assert.equal(colorEnabled(tty, { TERM: 'xterm-256color' }), true);
  });
  it('reads process.env by default', () => {
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      assert.equal(colorEnabled(tty), false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR; else process.env.NO_COLOR = saved;
    }
  });
});
