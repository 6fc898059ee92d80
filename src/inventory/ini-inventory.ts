import { parseAddress } from './address.js';
import { addChild, addGroup, addHost, type InventoryData, setGroupVar, setVar, type Where } from './data.js';
import { LiteralError, parseIniValue } from './python-literal.js';
import { expandHostRange, hasRange } from './ranges.js';
import { ShlexError, shlexSplit } from './shlex.js';

/**
 * Ansible's INI inventory (plugins/inventory/ini.py): "[group]" host lines, "[group:vars]"
 * key=value lines, "[group:children]" group names; lines before any section are hosts of
 * 'ungrouped'; '#' and ';' start comment lines. A host line is split as a shell would
 * (shlex), each value read as a Python literal (so x=1 is a number, x="1" too, x="'1'" text).
 * A group named in [g:children] may be defined later in the file; until then it is pending.
 */

/** Python's str.splitlines() line boundaries and str.strip() whitespace. */
const lineBreak = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const space = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const leading = new RegExp(`^${space}+`);
const trailing = new RegExp(`${space}+$`);

const sectionRe = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const groupNameRe = /^([^:\]\s]+)\s*(?:#.*)?$/u;

type Pending = { line: number; column: number; state: 'vars' | 'children'; parents: string[] };

interface Line {
  text: string;
  number: number;
  /** 0-based index of the stripped text in the raw line. */
  offset: number;
}

export function addIniInventory(data: InventoryData, file: string, text: string): void {
  const at = (line: Line, index = 0): Where => () => ({ file, line: line.number, column: line.offset + index + 1 });
  const problem = (line: Line, index: number, message: string) => data.problems.push({ ...at(line, index)(), message });
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state = 'hosts';

  const addPendingChildren = (name: string): void => {
    const decl = pending.get(name);
    for (const parent of decl?.parents ?? []) {
      const loop = addChild(data, parent, name);
      if (loop && decl) data.problems.push({ file, line: decl.line, column: decl.column, message: loop });
      if (pending.get(parent)?.state === 'children') addPendingChildren(parent);
    }
    pending.delete(name);
  };

  text.split(lineBreak).forEach((raw, i) => {
    const stripped = raw.replace(trailing, '');
    const body = stripped.replace(leading, '');
    const line: Line = { text: body, number: i + 1, offset: stripped.length - body.length };
    if (body === '' || body[0] === '#' || body[0] === ';') return;
    const section = sectionRe.exec(body);
    if (section) {
      group = section[1] as string;
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) {
        problem(line, 0, `section [${group}:${state}] has an unknown type '${state}': expected [${group}], [${group}:vars] or [${group}:children]`);
        state = 'skip';
        return;
      }
      if (!data.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: line.number, column: line.offset + 1, state: 'vars', parents: [] });
        addGroup(data, group);
      }
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') addPendingChildren(group);
        else pending.delete(group);
      }
      return;
    }
    if (body.startsWith('[') && body.endsWith(']')) {
      problem(line, 0, `invalid section '${body}': a section is [group], [group:vars] or [group:children], without spaces`);
      state = 'skip';
      return;
    }
    if (state === 'hosts') readHostLine(data, file, line, group, at, problem);
    else if (state === 'vars') {
      const eq = body.indexOf('=');
      if (eq < 0) {
        problem(line, 0, `expected key=value in [${group}:vars], got '${body}'`);
        return;
      }
      // Not split as a host line is: the whole rest of the line is the value, comments included.
      const key = body.slice(0, eq).replace(trailing, '');
      const valueText = body.slice(eq + 1).replace(leading, '');
      const value = readValue(valueText, line, body.length - valueText.length, problem);
      if (value !== undefined) setGroupVar(data, addGroup(data, group), key, value.v, at(line));
    } else if (state === 'children') {
      const m = groupNameRe.exec(body);
      if (!m) {
        problem(line, 0, `expected a group name in [${group}:children], got '${body}'`);
        return;
      }
      const child = m[1] as string;
      if (data.groups.has(child)) {
        const loop = addChild(data, group, child);
        if (loop) problem(line, 0, loop);
      } else {
        const waiting = pending.get(child);
        if (waiting) waiting.parents.push(group);
        else pending.set(child, { line: line.number, column: line.offset + 1, state: 'children', parents: [group] });
      }
    }
  });

  for (const [name, decl] of pending) {
    const message = decl.state === 'vars'
      ? `section [${name}:vars] is for a group that is not defined: add a [${name}] or [${name}:children] section`
      : `[${decl.parents.at(-1)}:children] names group '${name}', which is not defined: add a [${name}] section`;
    data.problems.push({ file, line: decl.line, column: decl.column, message });
  }
}

/** A value read as a Python literal; undefined (and a problem) when remedy cannot keep it. */
function readValue(text: string, line: Line, index: number, problem: (line: Line, index: number, message: string) => void): { v: unknown } | undefined {
  try {
    return { v: parseIniValue(text) };
  } catch (err) {
    if (!(err instanceof LiteralError)) throw err;
    problem(line, index, `${err.message} (in the value ${text}); quote it to keep it as text`);
    return undefined;
  }
}

function readHostLine(
  data: InventoryData,
  file: string,
  line: Line,
  group: string,
  at: (line: Line, index?: number) => Where,
  problem: (line: Line, index: number, message: string) => void,
): void {
  let tokens;
  try {
    tokens = shlexSplit(line.text);
  } catch (err) {
    if (!(err instanceof ShlexError)) throw err;
    problem(line, 0, `cannot read the host line '${line.text}': ${err.message}`);
    return;
  }
  const first = tokens[0];
  if (!first) return;
  const parsed = parseAddress(first.text);
  if (first.text.trim().endsWith(':') && parsed?.port === undefined) {
    problem(line, first.start, `invalid host '${first.text}': a name cannot end in ':', which introduces a port`);
    return;
  }
  const pattern = parsed?.host ?? first.text;
  let names = [pattern];
  if (hasRange(pattern)) {
    const expanded = expandHostRange(pattern);
    if (!expanded.ok) {
      problem(line, first.start, expanded.message);
      return;
    }
    names = expanded.names;
  }
  if (names.some((n) => n.trim() === '---')) {
    problem(line, first.start, "invalid host '---': this looks like a YAML file (name it .yml, or start it with a group)");
    return;
  }
  const vars: Array<{ key: string; value: unknown; where: Where }> = [];
  for (const t of tokens.slice(1)) {
    const eq = t.text.indexOf('=');
    if (eq < 0) {
      problem(line, t.start, `expected key=value after the host name, got '${t.text}'`);
      return;
    }
    const value = readValue(t.text.slice(eq + 1), line, t.start, problem);
    if (value === undefined) return;
    vars.push({ key: t.text.slice(0, eq), value: value.v, where: at(line, t.start) });
  }
  for (const name of names) {
    const host = addHost(data, name, group, parsed?.port, at(line, first.start));
    for (const v of vars) setVar(host, v.key, v.value, v.where);
  }
}
