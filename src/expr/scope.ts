/**
 * Template-local variables (loop targets, `{% set %}`), looked up before the vars a template is
 * rendered with, and the names the evaluator treats specially.
 */

/** Variables a template defines (loop targets, `{% set %}`), looked up before the vars. */
export class Scope {
  private readonly names = new Map<string, { value: unknown; nativeText: boolean }>();
  constructor(readonly parent?: Scope) {}

  lookup(name: string): { found: boolean; value: unknown; nativeText: boolean } {
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) {
      const hit = s.names.get(name);
      if (hit) return { found: true, ...hit };
    }
    return { found: false, value: undefined, nativeText: false };
  }

  /** nativeText: the value is text a string-type filter made (see Evaluator.nativeText). */
  set(name: string, value: unknown, nativeText = false): void {
    this.names.set(name, { value, nativeText });
  }
}

/**
 * ansible-core marks the text of the filters string, to_json, to_nice_json, to_yaml and
 * to_nice_yaml (C.STRING_TYPE_FILTERS): a template whose whole output is such a text is not read
 * back as a Python literal, so `{{ x | to_json }}` stays a string.
 */
export const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml']);
export const PASS_THROUGH_FILTERS = new Set(['default', 'd', 'mandatory']);

/** Tests that look at an undefined value without using it (Jinja2 only checks its type or identity). */
export const UNDEFINED_TESTS = new Set(['defined', 'undefined', 'none', 'true', 'false', 'boolean', 'number', 'integer', 'float', 'string', 'mapping', 'sameas', 'callable', 'escaped']);
