import { strict as assert } from 'node:assert';
import { compareDpkgVersions, parseDpkgVersion } from '../../src/facts/dpkg-version.js';

// From dpkg's lib/dpkg/t/t-version.c: parsed forms that must compare equal.
const EQUAL: Array<[string, string]> = [
  ['0', '0:0'], ['0:0', '0:0-'], ['0:0-0', '0-0'], ['0:0.0-0.0', '0.0-0.0'], ['1:0', '1:0'], ['5:1', '5:1'],
  ['0:0-00', '0:00-0'], ['1:2-3', '1:2-3'],
  ['0:0-0-0', '0-0-0'], ['0:0-0-0-0', '0-0-0-0'], ['0:0:0-0', '0:0:0-0'], ['0:0:0:0-0', '0:0:0:0-0'],
  ['0:0:0-0-0', '0:0:0-0-0'], ['0:0-0:0-0', '0:0-0:0-0'], ['0:09azAZ.-+~:-0', '0:09azAZ.-+~:-0'],
  ['0:0-azAZ09.+~', '0-azAZ09.+~'], ['  \t0:0-1', '0:0-1'], ['0:0-1\t  ', '0:0-1'], ['\t  0:0-1  \t', '0-1'],
];

// Ordered pairs (a < b): t-version.c's epoch/version/revision differences plus Debian policy's ~ rule.
const LESS: Array<[string, string]> = [
  ['1-1', '2-1'], ['1-1', '1-2'], ['0:0-0', '1:0-0'], ['0:a-0', '0:b-0'], ['0:0-a', '0:0-b'],
  ['1.0~rc1', '1.0'], ['1.0~~', '1.0~'], ['1.0~', '1.0'], ['1.0', '1.0a'], ['1.0a', '1.0+'],
  ['1:1.0', '2:0.1'], ['2.36-9+deb12u4', '2.36-9+deb12u10'], ['6.1.76-1', '6.1.90-1'],
  ['1.14.10-1~deb12u1', '1.14.10-1'], ['9', '10'], ['1.2.3', '1.2.10'],
];

// parseversion() failures in t-version.c.
const INVALID = ['', '  ', '0:', '0:0 0-1', '-1:0-1', '999999999999999999999999:0-1', 'a:0-0', 'A:0-0', '-0', '0:-0'];

describe('facts/dpkg-version', () => {
  for (const [a, b] of EQUAL) {
    it(`${JSON.stringify(a)} = ${JSON.stringify(b)}`, () => assert.equal(compareDpkgVersions(a, b), 0));
  }
  for (const [a, b] of LESS) {
    it(`${a} < ${b}`, () => {
      assert.equal(compareDpkgVersions(a, b), -1);
      assert.equal(compareDpkgVersions(b, a), 1);
    });
  }
  for (const v of INVALID) {
    it(`refuses ${JSON.stringify(v)}`, () => assert.equal(parseDpkgVersion(v), undefined));
  }
  it('splits epoch, upstream and revision at the first colon and the last hyphen', () => {
    assert.deepEqual(parseDpkgVersion('0:0-0:0-0'), { epoch: 0, upstream: '0-0:0', revision: '0' });
    assert.deepEqual(parseDpkgVersion('5:1'), { epoch: 5, upstream: '1', revision: '' });
  });
});
