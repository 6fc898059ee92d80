/** Splits the probe's output into its "@@name" sections. */

export type Sections = Map<string, string[]>;

/** Lines of each section, by name; a section that appears twice keeps all its lines. */
export function splitSections(output: string): Sections {
  const sections: Sections = new Map();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('@@')) {
      const name = line.slice(2).trim();
      current = sections.get(name) ?? [];
      sections.set(name, current);
    } else if (current && line !== '') {
      current.push(line);
    }
  }
  return sections;
}

/** "key value" lines into a map (first word is the key; repeated keys keep the first). */
export function parseKeyValues(lines: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf(' ');
    const key = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1);
    if (key === 'have') map.set(`have ${value}`, '1');
    else if (!map.has(key)) map.set(key, value);
  }
  return map;
}
