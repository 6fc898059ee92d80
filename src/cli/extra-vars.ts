import { readFileSync } from 'node:fs';
import { parseYamlText } from '../config/yaml-file.js';
import { ConfigError, UsageError } from '../model/errors.js';
import type { Vars } from '../model/playbook.js';

function asMapping(value: unknown, what: string): Vars {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`-e ${what}: expected a mapping of variables`);
  return value as Vars;
}

/**
 * -e as Ansible reads it: KEY=VALUE (a string; several separated by spaces), a JSON or YAML mapping
 * ('{"a": 1}'), or @FILE with a YAML/JSON mapping, YAML read as Ansible reads it (YAML 1.1: yes is
 * true). Later -e options win.
 */
export function parseExtraVars(items: string[]): Vars {
  const vars: Vars = {};
  for (const item of items) {
    const text = item.trim();
    if (text.startsWith('@')) {
      const file = text.slice(1);
      let content: string;
      try { content = readFileSync(file, 'utf8'); } catch { throw new UsageError(`-e ${text}: cannot read ${file}`); }
      Object.assign(vars, asMapping(parseYamlText(file, content).value, text)); // ConfigError at file:line:column
    } else if (text.startsWith('{')) {
      let value: unknown;
      try { value = parseYamlText('-e', text).value; } catch (e) {
        throw new UsageError(`-e ${text}: not valid JSON/YAML: ${e instanceof ConfigError ? e.problems.map((p) => p.message).join('; ') : (e as Error).message}`);
      }
      Object.assign(vars, asMapping(value, text));
    } else {
      for (const pair of text.split(/\s+(?=[A-Za-z_][A-Za-z0-9_]*=)/)) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
        if (!m) throw new UsageError(`-e '${pair}': expected KEY=VALUE, a JSON mapping or @FILE`);
        vars[m[1] as string] = m[2];
      }
    }
  }
  return vars;
}
