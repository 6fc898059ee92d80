/**
 * The `version` test (`x is version('5.14', '>=', version_type='loose')`), as ansible-core 2.14:
 * loose (distutils LooseVersion: runs of digits as numbers, runs of lowercase letters and any other
 * character as text; a number compared with text is an error, as in Python), strict (distutils
 * StrictVersion: `1.2`, `1.2.3`, `1.2a1`), semver/semantic (Semantic Versioning 2.0.0). pep440
 * needs Python's packaging library and is refused.
 */

type Fail = (message: string) => never;

const OPERATORS: Record<string, string> = {
  '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne',
};

function compareParts(a: Array<number | string>, b: Array<number | string>, fail: Fail): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x !== typeof y) fail(`Version comparison failed: '<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** distutils.version.LooseVersion components. */
function loose(v: string): Array<number | string> {
  return v.split(/(\d+|[a-z]+|\.)/).filter((x) => x !== '' && x !== '.').map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function strict(v: string, fail: Fail): Array<number | string> {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/.exec(v);
  if (!m) return fail(`Version comparison failed: invalid version number '${v}'`);
  // No pre-release sorts after any pre-release: ['~'] is above 'a'/'b' in the comparison below.
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4] ?? '~', Number(m[5] ?? 0)];
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semverCompare(a: string, b: string, fail: Fail): number {
  const pa = SEMVER.exec(a) ?? fail(`Version comparison failed: invalid semantic version '${a}'`);
  const pb = SEMVER.exec(b) ?? fail(`Version comparison failed: invalid semantic version '${b}'`);
  for (let i = 1; i <= 3; i += 1) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return Math.sign(d);
  }
  if (pa[4] === pb[4]) return 0;
  if (pa[4] === undefined) return 1;
  if (pb[4] === undefined) return -1;
  const xs = pa[4].split('.');
  const ys = pb[4].split('.');
  for (let i = 0; i < Math.min(xs.length, ys.length); i += 1) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Math.sign(Number(x) - Number(y));
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(xs.length - ys.length);
}

/** Compares loose version strings (LooseVersion): -1, 0 or 1; a number against text fails. */
export function compareVersions(a: string, b: string, fail: Fail = (m) => { throw new Error(m); }): number {
  return Math.sign(compareParts(loose(a), loose(b), fail));
}

/** ansible-core's version_compare(value, version, operator, strict, version_type). */
export function versionTest(value: string, version: string, operator: string, strictFlag: boolean | undefined, type: string | undefined, fail: Fail): boolean {
  if (strictFlag !== undefined && type !== undefined) fail("Cannot specify both 'strict' and 'version_type'");
  if (value === '') fail('Input version value cannot be empty');
  if (version === '') fail('Version parameter to compare against cannot be empty');
  const op = OPERATORS[operator];
  if (op === undefined || !Object.hasOwn(OPERATORS, operator)) return fail(`Invalid operator type (${operator}). Must be one of ${Object.keys(OPERATORS).join(', ')}`);
  const kind = strictFlag ? 'strict' : type ?? 'loose';
  let c: number;
  if (kind === 'loose') c = compareParts(loose(value), loose(version), fail);
  else if (kind === 'strict') c = compareParts(strict(value, fail), strict(version, fail), fail);
  else if (kind === 'semver' || kind === 'semantic') c = semverCompare(value, version, fail);
  else if (kind === 'pep440') return fail("version_type 'pep440' is not supported by remedy (it needs Python's packaging library)");
  else return fail(`Invalid version type (${kind}). Must be one of loose, strict, semver, semantic, pep440`);
  const s = Math.sign(c);
  return { eq: s === 0, ne: s !== 0, lt: s < 0, le: s <= 0, gt: s > 0, ge: s >= 0 }[op as 'eq']!;
}
