import { pathToPointer, type YamlFile } from '../config/yaml-file.js';
import { parseAddress } from './address.js';
import { addChild, addGroup, addHost, type InventoryData, setGroupVar, setVar, type Where } from './data.js';
import { expandHostRange, hasRange } from './ranges.js';

type Mapping = Record<string, unknown>;

function isMapping(v: unknown): v is Mapping {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A Where for the node (or its key) at a JSON pointer of a YAML file. */
export function yamlWhere(yaml: YamlFile, pointer: string, atKey = false): Where {
  return () => {
    const p = atKey ? yaml.keyPositionOf(pointer) : yaml.positionOf(pointer);
    return { file: yaml.file, line: p.line, column: p.column, pointer };
  };
}

/**
 * Adds a YAML inventory (already checked against the schema: anything of the wrong shape is
 * skipped here, the schema has reported it) the way Ansible's yaml inventory plugin reads it:
 * top-level groups in file order; in each group its keys in file order; a child group is read
 * (with its hosts) before it is put under its parent.
 */
export function addYamlInventory(data: InventoryData, yaml: YamlFile): void {
  if (!isMapping(yaml.value)) return;
  for (const [name, group] of Object.entries(yaml.value)) readGroup(data, yaml, name, group, [name], []);
}

function readGroup(data: InventoryData, yaml: YamlFile, name: string, body: unknown, path: string[], above: string[]): void {
  if (body !== null && !isMapping(body)) return;
  const pointer = pathToPointer(path);
  if (typeof yaml.keyAt(pointer) !== 'string' && yaml.keyAt(pointer) !== undefined) {
    data.problems.push(yaml.problemAt(pointer, `a group name must be text, but YAML reads this one as ${typeName(yaml.keyAt(pointer))} (${name}): quote it`, true));
    return;
  }
  const group = addGroup(data, name);
  if (body === null) return;
  for (const [section, value] of Object.entries(body)) {
    const here = [...path, section];
    if (section === 'vars' && isMapping(value)) {
      for (const [k, v] of Object.entries(value)) setGroupVar(data, group, k, v, yamlWhere(yaml, pathToPointer([...here, k])));
    } else if (section === 'children' && (isMapping(value) || typeof value === 'string')) {
      // As Ansible: "children: web" names one child group.
      const entries: Array<[string, unknown]> = typeof value === 'string' ? [[value, null]] : Object.entries(value);
      for (const [child, childBody] of entries) {
        const at = typeof value === 'string' ? pathToPointer(here) : pathToPointer([...here, child]);
        // A loop is said here, at the key that closes it, before the child is read again.
        const refused = child === 'all' || child === name ? addChild(data, name, child)
          : above.includes(child) ? `group '${child}' cannot be a child of '${name}': '${name}' is already inside '${child}' (cycle: ${[...above.slice(above.indexOf(child)), name, child].join(' > ')})`
            : undefined;
        if (refused) {
          data.problems.push(yaml.problemAt(at, refused, true));
          continue;
        }
        readGroup(data, yaml, child, childBody, [...here, child], [...above, name]);
        if (data.groups.has(child)) {
          const loop = addChild(data, name, child);
          if (loop) data.problems.push(yaml.problemAt(at, loop, true));
        }
      }
    } else if (section === 'hosts' && (isMapping(value) || typeof value === 'string')) {
      const entries: Array<[string, unknown]> = typeof value === 'string' ? [[value, null]] : Object.entries(value);
      for (const [entry, hostVars] of entries) {
        const at = typeof value === 'string' ? pathToPointer(here) : pathToPointer([...here, entry]);
        readHosts(data, yaml, name, entry, hostVars, at, typeof value !== 'string');
      }
    }
  }
}

/** What YAML 1.1 made of a key that is not text: "an integer", "a boolean"… */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a float';
  return typeof v === 'boolean' ? 'a boolean' : `a ${typeof v}`;
}

function readHosts(data: InventoryData, yaml: YamlFile, group: string, entry: string, hostVars: unknown, at: string, atKey: boolean): void {
  const key = atKey ? yaml.keyAt(at) : entry;
  if (typeof key !== 'string' && key !== undefined) {
    // As Ansible: "Host pattern 1234 must be a string. Enclose integers/floats in quotation marks."
    data.problems.push(yaml.problemAt(at, `a host name must be text, but YAML reads this one as ${typeName(key)} (${entry}): quote it`, true));
    return;
  }
  // As Ansible: "name:port" gives ansible_port to a new host, ranges expand to several hosts.
  const parsed = parseAddress(entry);
  const pattern = parsed?.host ?? entry;
  let names = [pattern];
  if (hasRange(pattern)) {
    const expanded = expandHostRange(pattern);
    if (!expanded.ok) {
      data.problems.push(yaml.problemAt(at, expanded.message, atKey));
      return;
    }
    names = expanded.names;
  }
  const where = yamlWhere(yaml, at, atKey);
  for (const name of names) {
    const host = addHost(data, name, group, parsed?.port, where);
    if (isMapping(hostVars)) {
      for (const [k, v] of Object.entries(hostVars)) setVar(host, k, v, yamlWhere(yaml, `${at}${pathToPointer([k])}`));
    }
  }
}
