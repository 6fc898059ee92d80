/**
 * The variables of one task, in layers from weakest to strongest. A `source` layer holds text from a
 * playbook, an inventory or `-e`: a value that holds a template is rendered when a task first reads it
 * (Ansible's lazy rule), against the whole scope, and the result is final. A `data` layer holds values
 * that came from a host or from a step (registered results, set_fact values, facts): they are read as
 * they are and never rendered, whatever text they hold (Ansible marks them unsafe for this reason).
 */
import { ExpressionError } from '../model/errors.js';
import { isForbiddenName } from './ast.js';
import { hasTemplate, renderDeep } from './template.js';
import { isMapping, VARIABLE_SOURCE, type VariableSource } from './values.js';

export type LayerKind = 'source' | 'data';

export interface VarLayer {
  kind: LayerKind;
  vars: Record<string, unknown>;
}

/** Deepest chain of variables rendering one another before the scope gives up (a → b → … → z). */
const MAX_DEPTH = 64;

function holdsTemplate(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return hasTemplate(value);
  if (depth > 32) return false;
  if (Array.isArray(value)) return value.some((v) => holdsTemplate(v, depth + 1));
  if (isMapping(value)) return Object.values(value).some((v) => holdsTemplate(v, depth + 1));
  return false;
}

export class VarScope implements VariableSource {
  readonly [VARIABLE_SOURCE] = true as const;
  private readonly rendered = new Map<string, unknown>();
  private readonly rendering: string[] = [];

  constructor(private readonly layers: readonly VarLayer[]) {}

  /** A scope with one more data layer on top (e.g. a registered result seen by changed_when). */
  withData(vars: Record<string, unknown>): VarScope {
    return new VarScope([...this.layers, { kind: 'data', vars }]);
  }

  /** The winning value of a variable: a data value as it is, a source value rendered once. */
  lookup(name: string): { found: boolean; value: unknown } {
    if (isForbiddenName(name)) return { found: false, value: undefined };
    for (let i = this.layers.length - 1; i >= 0; i -= 1) {
      const layer = this.layers[i]!;
      if (!Object.hasOwn(layer.vars, name) || layer.vars[name] === undefined) continue;
      const value = layer.vars[name];
      if (layer.kind === 'data' || !holdsTemplate(value)) return { found: true, value };
      return { found: true, value: this.render(name, value) };
    }
    return { found: false, value: undefined };
  }

  /** Every variable name visible in the scope (for messages and suggestions). */
  names(): string[] {
    return [...new Set(this.layers.flatMap((l) => Object.keys(l.vars)))];
  }

  private render(name: string, value: unknown): unknown {
    if (this.rendered.has(name)) return this.rendered.get(name);
    if (this.rendering.includes(name) || this.rendering.length >= MAX_DEPTH) {
      const chain = [...this.rendering.slice(this.rendering.indexOf(name)), name].join(' → ');
      throw new ExpressionError(`recursive loop in variables: ${chain}`, String(value), 0);
    }
    this.rendering.push(name);
    try {
      const out = renderDeep(value, this);
      this.rendered.set(name, out);
      return out;
    } finally {
      this.rendering.pop();
    }
  }
}
