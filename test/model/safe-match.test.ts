/**
 * Path globs: the plain-string fast paths (a literal, a literal then one `*`) answer exactly as the RE2
 * translation does, over generated globs and paths; and the default ignore list's AIO ring entry.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compileGlob, compileSafeRegex, globToRe2 } from '../../src/model/safe-match.js';
import { makeIgnore } from '../../src/facts/parse-stale.js';
import { check } from '../property/settings.js';

/** The RE2 translation alone, as compileGlob answered before its fast paths. */
function viaRe2(glob: string): ((path: string) => boolean) | Error {
  try {
    const re = compileSafeRegex(globToRe2(glob, 'path'), { dotAll: true });
    return (path) => re.test(path);
  } catch (err) {
    return err as Error;
  }
}

const glob = fc.array(fc.constantFrom('a', 'b', '/', '.', '*', '**', '?', '\\', '\\*', '[', ']', '{', '}', ',', '@', '-'), { maxLength: 8 }).map((p) => p.join(''));
const path = fc.array(fc.constantFrom('a', 'b', '/', '.', '*', '\\', '[', ']', '@', '-', ' '), { maxLength: 10 }).map((p) => p.join(''));

describe('model/safe-match: path globs', () => {
  it('the fast paths answer as RE2 does (generated globs and paths)', () => {
    check(fc.property(glob, fc.array(path, { minLength: 1, maxLength: 6 }), (g, paths) => {
      const want = viaRe2(g);
      let got: ((p: string) => boolean) | Error;
      try { got = compileGlob(g); } catch (err) { got = err as Error; }
      if (want instanceof Error || got instanceof Error) {
        assert.equal(got instanceof Error, want instanceof Error, `glob ${JSON.stringify(g)}`);
        return;
      }
      for (const p of paths) assert.equal(got(p), want(p), `glob ${JSON.stringify(g)} on ${JSON.stringify(p)}`);
    }));
  });

  const rows: Array<[string, string, boolean]> = [
    ['getty@*', 'getty@tty1', true], ['getty@*', 'getty@tty1/x', false], ['getty@*', 'serial-getty@x', false],
    ['dbus', 'dbus', true], ['dbus', 'dbus-broker', false], ['/\\[aio]', '/[aio]', true], ['/\\[aio]', '/a', false],
    ['*', 'x', true], ['*', 'x/y', false], ['gdm*', 'gdm3', true], ['lib\\*', 'lib*', true], ['lib\\*', 'libz', false],
  ];
  for (const [g, p, want] of rows) it(`${g} on ${p}: ${want}`, () => assert.equal(compileGlob(g)(p), want));

  it('the default ignore list ignores the AIO ring (/[aio], mapped by programs that use io_setup) and not /a', () => {
    const ignored = makeIgnore();
    assert.equal(ignored('/[aio]'), true);
    assert.equal(ignored('/a'), false);
    assert.equal(ignored('/i'), false);
  });
});
