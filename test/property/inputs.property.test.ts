/**
 * What a user types never crashes remedy: playbooks, inventories (YAML and INI), -e values and
 * expressions, generated and mutated, are read or refused with a ConfigError, UsageError or
 * ExpressionError (exit 5 with file:line:column); nothing else may escape.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parseExtraVars } from '../../src/cli/extra-vars.js';
import { evaluate, evaluateCondition, renderTemplate } from '../../src/expr/index.js';
import { ConfigError, ExpressionError, UsageError } from '../../src/model/errors.js';
import { check, outcome } from './settings.js';

const CONFIG = [ConfigError, UsageError];

/** YAML-ish text: real structure with mutations (unbalanced brackets, tabs, anchors, tags, BOMs…). */
const yamlish = fc.tuple(
  fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v)),
  fc.array(fc.tuple(fc.nat(), fc.constantFrom('&a ', '*a', '<<: ', '!!binary ', '{', '[', ':', '- ', '\t', '\uFEFF', '%YAML 1.1\n', '---\n', '"', "'", '|', '>', '?', '#', '@', '`', '\0')), { maxLength: 6 }),
).map(([text, edits]) => edits.reduce((t, [at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1)), text));

const playKeys = fc.record({
  hosts: fc.oneof(fc.constant('all'), fc.string({ maxLength: 12 })),
  tasks: fc.array(fc.dictionary(fc.constantFrom('name', 'shell', 'debug', 'when', 'register', 'loop', 'kill_processes', 'restart_services', 'reboot', 'set_fact', 'notify', 'frob'),
    fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 }), { maxLength: 4 }),
}, { requiredKeys: [] });

describe('property: bad input is refused with a located error, never a crash', function () {
  this.timeout(240_000);

  it('playbooks: generated structures and mutated YAML', () => {
    check(fc.property(fc.oneof(fc.array(playKeys, { maxLength: 3 }).map((p) => stringify(p)), yamlish), (text) => {
      outcome(() => parsePlaybookText('p.yml', text), CONFIG);
    }));
  });

  it('inventories: YAML and INI', () => {
    const ini = fc.array(fc.oneof(fc.constantFrom('[web]', '[web:children]', '[web:vars]', '[all:vars]', 'h[1:3]', 'h ansible_port=22', "h x='y", 'a=b', '[', ']', 'h[a:', '#c'), fc.string({ maxLength: 30 })), { maxLength: 12 }).map((l) => l.join('\n'));
    check(fc.property(fc.oneof(yamlish, fc.jsonValue({ maxDepth: 4 }).map((v) => stringify({ all: v }))), ini, (yamlText, iniText) => {
      outcome(() => parseInventoryText('i.yml', yamlText), CONFIG);
      outcome(() => parseInventoryText('i.ini', iniText), CONFIG);
    }));
  });

  it('-e values', () => {
    check(fc.property(fc.array(fc.oneof(fc.string({ maxLength: 40 }), yamlish, fc.jsonValue().map((v) => JSON.stringify(v))), { maxLength: 3 }), (items) => {
      outcome(() => parseExtraVars(items), CONFIG);
    }));
  });

  it('expressions and templates', () => {
    const token = fc.constantFrom('x', 'y', '1', '2.5', "'s'", '"t"', '[', ']', '(', ')', '{', '}', ',', ':', '.', '|', 'int', 'length', 'default', 'map', 'join', 'regex_replace', 'from_json', 'is', 'not', 'in', 'and', 'or', 'if', 'else', '+', '-', '*', '/', '//', '%', '**', '~', '==', '<', 'range', 'x.y', 'x[0]', "'a' * 3", '{% for i in x %}', '{% endfor %}', '{{', '}}', '{#', '#}', '{% if x %}', '{% endif %}');
    const vars = { x: [1, 2, { y: 'z' }], y: { a: 1 }, s: 'abc' };
    check(fc.property(fc.array(token, { maxLength: 14 }).map((t) => t.join(' ')), (text) => {
      outcome(() => evaluate(text, vars), [ExpressionError]);
      outcome(() => evaluateCondition(text, vars), [ExpressionError]);
      outcome(() => renderTemplate(text, vars), [ExpressionError]);
    }));
  });

  it('kept cases: nested JSON from a host parsed with from_json', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.notEqual(outcome(() => renderTemplate('{{ out | from_json | length }}', { out: deep }), [ExpressionError]), 'crash');
  });
});
