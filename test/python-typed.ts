import { execFile } from 'node:child_process';
import { pythonFloatRepr } from '../src/inventory/python-json.js';

/**
 * Values compared with Python's by type: each side written as a tagged tree ({int: "1"},
 * {float: "1.0"}, {str: …}, {list: […]}, {dict: {…}}, null), so 1 and 1.0 and "1" differ.
 */
export type Typed = null | { bool: boolean } | { int: string } | { float: string } | { str: string } | { list: Typed[] } | { dict: Record<string, Typed> } | { other: string };

/** The Python half: `typed(value)`, to paste into a script. */
export const pythonTyped = `
import datetime
def typed(v):
    if v is None: return None
    if isinstance(v, bool): return {'bool': v}
    if isinstance(v, int): return {'int': str(v)}
    if isinstance(v, float): return {'float': repr(v)}
    if isinstance(v, str): return {'str': str(v)}
    if isinstance(v, (datetime.date, datetime.datetime)): return {'str': v.isoformat()}
    if isinstance(v, (list, tuple)): return {'list': [typed(x) for x in v]}
    if isinstance(v, dict): return {'dict': {str(k): typed(x) for k, x in v.items()}}
    return {'other': repr(v)}
`;

export function typedJs(v: unknown): Typed {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return { bool: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { float: Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf' }; // Python's repr
    return Number.isSafeInteger(v) ? { int: String(v) } : { float: pythonFloatRepr(v) };
  }
  if (typeof v === 'string') return { str: v };
  if (Array.isArray(v)) return { list: v.map(typedJs) };
  if (typeof v === 'object') return { dict: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typedJs(x)])) };
  return { other: String(v) };
}

/** Equal but for JavaScript's one number type: Python's float 1000.0 is JavaScript's 1000. */
export function sameButIntegralFloats(mine: Typed, theirs: Typed): boolean {
  if (mine !== null && theirs !== null && 'int' in mine && 'float' in theirs) return Number(mine.int) === Number(theirs.float);
  if (mine === null || theirs === null) return mine === theirs;
  if ('list' in mine && 'list' in theirs) return mine.list.length === theirs.list.length && mine.list.every((x, i) => sameButIntegralFloats(x, theirs.list[i] as Typed));
  if ('dict' in mine && 'dict' in theirs) {
    const keys = Object.keys(theirs.dict);
    return keys.length === Object.keys(mine.dict).length && keys.every((k) => k in mine.dict && sameButIntegralFloats(mine.dict[k] as Typed, theirs.dict[k] as Typed));
  }
  return JSON.stringify(mine) === JSON.stringify(theirs);
}

/** Runs a Python script with Debian's python3 (ansible-core, PyYAML), JSON in on stdin, JSON out. */
export function runPython<T>(script: string, input: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', ['-c', script], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python3 failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as T);
    });
    child.stdin?.end(JSON.stringify(input));
  });
}
