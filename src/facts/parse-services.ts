/** Init scripts (/etc/init.d), pidfiles in /run, and xinetd services, from the probe's sections. */
import type { InitScript, XinetdService } from './types.js';

/** Substitutes $VAR and ${VAR} from a script's simple assignments; strips quotes. */
function expand(value: string, vars: Map<string, string>): string {
  return value
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[-:=][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a: string | undefined, b: string | undefined) => {
      const name = a ?? b ?? '';
      if (vars.has(name)) return vars.get(name)!;
      // ${PIDFILE-/var/run/x.pid}: use the default when the variable is unknown.
      const dflt = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=]([^}]*)\}$/.exec(all);
      return dflt ? dflt[1]! : all;
    })
    .replace(/["']/g, '');
}

/** Parses "script PATH" lines and grep's "PATH:line" lines of the init-scripts section. */
export function parseInitScripts(lines: string[]): InitScript[] {
  const scripts = new Map<string, InitScript>();
  const vars = new Map<string, Map<string, string>>();
  const get = (path: string): InitScript => {
    let s = scripts.get(path);
    if (!s) {
      s = { name: path.slice(path.lastIndexOf('/') + 1), path, pidfiles: [], executables: [] };
      scripts.set(path, s);
      vars.set(path, new Map());
    }
    return s;
  };
  for (const line of lines) {
    if (line.startsWith('script ')) { get(line.slice(7)); continue; }
    const colon = line.indexOf(':');
    if (colon < 0 || !line.startsWith('/')) continue;
    const s = get(line.slice(0, colon));
    const v = vars.get(s.path)!;
    const text = line.slice(colon + 1).trim();
    const assign = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\S*)/.exec(text);
    if (assign) {
      const value = expand(assign[2]!, v);
      if (!v.has(assign[1]!)) v.set(assign[1]!, value);
      const key = assign[1]!.toLowerCase();
      if (/pidfile$/.test(key) && value.startsWith('/')) s.pidfiles.push(value);
      if (['daemon', 'exec', 'binary', 'prog', 'name', 'base'].includes(key) && value) s.executables.push(value);
    }
    const expanded = expand(text, v);
    for (const m of expanded.matchAll(/(?:--pidfile[= ]|-p )(\/\S+)/g)) s.pidfiles.push(m[1]!);
    for (const m of expanded.matchAll(/--exec[= ](\/\S+)/g)) s.executables.push(m[1]!);
  }
  for (const s of scripts.values()) {
    s.pidfiles = [...new Set(s.pidfiles.filter((p) => p !== 'none'))];
    s.executables = [...new Set(s.executables)];
  }
  return [...scripts.values()];
}

/** "PATH PID" lines → pid → pidfile paths (/var/run is folded into /run). */
export function parsePidfiles(lines: string[]): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const line of lines) {
    const m = /^(\S+) (\d+)\s*$/.exec(line);
    if (!m) continue;
    const pid = Number(m[2]);
    const path = m[1]!.replace(/^\/var\/run\//, '/run/');
    const list = map.get(pid) ?? [];
    if (!list.includes(path)) list.push(path);
    map.set(pid, list);
  }
  return map;
}

/** grep's "FILE:line" output of service/id/server/disable lines → the xinetd services. */
export function parseXinetd(lines: string[]): XinetdService[] {
  const out: XinetdService[] = [];
  let current: XinetdService | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const file = line.slice(0, colon);
    const text = line.slice(colon + 1).trim();
    const service = /^service\s+(\S+)/.exec(text);
    if (service) {
      current = { name: service[1]!, service: service[1]!, disabled: false, file };
      out.push(current);
      continue;
    }
    if (!current || current.file !== file) continue;
    const kv = /^(\w+)\s*=\s*(.*)$/.exec(text);
    if (!kv) continue;
    const value = kv[2]!.trim();
    if (kv[1] === 'id') current.name = value;
    else if (kv[1] === 'server') current.server = value;
    else if (kv[1] === 'disable') current.disabled = value === 'yes';
  }
  return out;
}
