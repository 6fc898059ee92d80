/**
 * A step's documentation as text, from its argument declaration (the authoring schema that
 * schemas/steps/<step>.schema.json holds): what it does, each argument with its type, whether it
 * is required, its default and what it means. Pure: schema in, text out.
 */
import { TEMPLATE_PATTERN, type JsonSchema } from '../steps/args.js';

const WIDTH = 100;

/** Text wrapped to the width, each line indented. */
export function wrap(text: string, indent: string, width = WIDTH): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && indent.length + line.length + 1 + word.length > width) {
        lines.push(`${indent}${line}`);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(`${indent}${line}`);
  }
  return lines.join('\n');
}

/** The first sentence of a description (for one-line listings). */
export function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/s.exec(text.trim());
  return (m?.[1] ?? text.trim()).replace(/\s+/g, ' ');
}

function typesOf(node: JsonSchema): string[] {
  const t = node.type;
  return Array.isArray(t) ? t as string[] : typeof t === 'string' ? [t] : [];
}

/** True when the node's string form exists only for one `{{ template }}`. */
function templatedString(node: JsonSchema): boolean {
  const types = typesOf(node);
  return types.includes('string') && types.length > 1 && node.pattern === TEMPLATE_PATTERN;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

/** A readable type: "list of strings", "number, or a {{ template }}", "one of: start, stop". */
export function describeType(node: JsonSchema): string {
  if (Array.isArray(node.enum)) return `one of: ${(node.enum as unknown[]).map(String).join(', ')}`;
  const names: Record<string, string> = { object: 'mapping', array: 'list', null: 'nothing' };
  const templated = templatedString(node);
  const parts = typesOf(node).filter((t) => !(templated && t === 'string')).map((t) => {
    if (t === 'array' && typeof node.items === 'object' && node.items !== null) {
      const inner = describeType(node.items as JsonSchema);
      return inner === 'any value' ? 'list' : `list of ${inner.replace(/\b(string|boolean|mapping|integer|number|list)\b/g, '$1s')}`;
    }
    return names[t] ?? t;
  });
  if (parts.length === 0) return templated ? 'a {{ template }}' : 'any value';
  const text = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
  return templated ? `${text}, or a {{ template }}` : text;
}

function argumentLines(schema: JsonSchema): string[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const width = Math.max(0, ...Object.keys(props).map((k) => k.length));
  return Object.entries(props).flatMap(([name, node]) => {
    const facts = [describeType(node), ...(required.has(name) ? ['required'] : []), ...(node.default !== undefined ? [`default ${JSON.stringify(node.default)}`] : [])];
    const head = `  ${name.padEnd(width)}  (${facts.join('; ')})`;
    return typeof node.description === 'string' ? [head, wrap(node.description, '      ')] : [head];
  });
}

/** What the step's value may be as a whole (a string, a list, nothing) besides a mapping of arguments. */
function shapeLine(name: string, schema: JsonSchema): string {
  const types = typesOf(schema);
  const other = types.filter((t) => t !== 'object' && t !== 'null');
  const optional = types.includes('null');
  const mapping = types.includes('object') && Object.keys((schema.properties ?? {}) as object).length > 0;
  if (!types.includes('object') || (!mapping && schema.additionalProperties === undefined)) return `Arguments: ${describeType(schema)}.`;
  if (!mapping) {
    const values = schema.additionalProperties as JsonSchema;
    return `Arguments: a mapping of variable names to values.${typeof values.description === 'string' ? `\n${wrap(values.description, '  ')}` : ''}`;
  }
  const forms = other.map((t) => describeType({ ...schema, type: t, enum: undefined }));
  const alt = forms.length > 0 ? `${forms.map(article).join(', ')}, or a mapping of:` : 'a mapping of:';
  return optional ? `Arguments (all optional; \`${name}:\` alone uses the defaults): ${alt}` : `Arguments: ${alt}`;
}

/** The full text `remedy doc STEP` prints (without the example). */
export function formatStepDoc(name: string, schema: JsonSchema, supportsCheck: boolean): string {
  const out = [name, '', wrap(String(schema.description ?? ''), '  '), '', shapeLine(name, schema), ...argumentLines(schema), ''];
  out.push(supportsCheck
    ? 'Check mode (--check): runs, and changes nothing.'
    : 'Check mode (--check): skipped, since it cannot predict its outcome.');
  return out.join('\n');
}
