import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createAjv, describeErrors, loadSchemaFile, playbookVocabulary, schemasDir, stepSchemaFiles } from '../../src/config/schema.js';
import { parseYamlText } from '../../src/config/yaml-file.js';
import { SAFE_MATCH_FORMATS } from '../../src/model/safe-match.js';

const allSchemaFiles = (): string[] => [
  ...readdirSync(schemasDir).filter((n) => n.endsWith('.schema.json')),
  ...stepSchemaFiles(),
];

function* walk(node: unknown, path: string): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* walk(node[i], `${path}/${i}`);
  else if (node !== null && typeof node === 'object') {
    yield [path, node as Record<string, unknown>];
    for (const [k, v] of Object.entries(node)) yield* walk(v, `${path}/${k}`);
  }
}

describe('config/schema: the schema files', () => {
  it('every schema file is a valid JSON Schema 2020-12 that ajv compiles', () => {
    const files = allSchemaFiles();
    assert.ok(files.includes('playbook.schema.json'));
    assert.ok(files.length >= 15, `found ${files.length}`);
    for (const rel of files) {
      const ajv = createAjv();
      const schema = loadSchemaFile(rel);
      // A task file's items are the playbook's tasks.
      if (rel === 'tasks.schema.json') ajv.addSchema(loadSchemaFile('playbook.schema.json'));
      assert.equal(ajv.validateSchema(schema), true, `${rel}: ${ajv.errorsText(ajv.errors)}`);
      if (!rel.startsWith('steps/')) assert.doesNotThrow(() => ajv.compile(schema), rel);
      else assert.equal(typeof ajv.getSchema(String(schema.$id)), 'function', rel);
    }
  });

  it('has no misspelled keyword (strict Ajv, knowing only the editor keyword errorMessage)', () => {
    const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
    ajv.addKeyword('errorMessage');
    (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
    for (const [name, validate] of Object.entries(SAFE_MATCH_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
    for (const rel of stepSchemaFiles()) ajv.addSchema(loadSchemaFile(rel));
    assert.doesNotThrow(() => ajv.compile(loadSchemaFile('playbook.schema.json')));
  });

  it('relative $refs point at files that exist beside the referring file (as editors resolve them)', () => {
    let refs = 0;
    for (const rel of allSchemaFiles()) {
      const file = resolve(schemasDir, rel);
      const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      for (const [, node] of walk(json, '')) {
        const ref = node.$ref;
        if (typeof ref !== 'string' || ref.startsWith('#')) continue;
        refs++;
        assert.ok(existsSync(resolve(dirname(file), ref.split('#')[0] as string)), `${rel}: ${ref}`);
      }
    }
    assert.ok(refs >= 14);
  });

  it('the steps listed in playbook.schema.json are exactly the files in schemas/steps/', () => {
    const { steps } = playbookVocabulary();
    const files = stepSchemaFiles().map((f) => f.replace(/^steps\/|\.schema\.json$/g, ''));
    assert.deepEqual([...steps].sort(), files);
    for (const s of ['command', 'shell', 'assert', 'set_fact', 'debug', 'fail', 'gather_facts', 'recheck', 'restart_services',
      'service', 'xinetd_sessions', 'kill_processes', 'daemon_reexec', 'reboot']) assert.ok(steps.includes(s), s);
  });

  it('every property and definition of the playbook and step schemas has a description (hover docs)', () => {
    const missing: string[] = [];
    for (const rel of ['playbook.schema.json', ...stepSchemaFiles()]) {
      const json = JSON.parse(readFileSync(resolve(schemasDir, rel), 'utf8')) as Record<string, unknown>;
      if (typeof json.description !== 'string') missing.push(`${rel}#`);
      for (const [path, node] of walk(json, '')) {
        for (const container of ['properties', '$defs']) {
          const props = node[container] as Record<string, Record<string, unknown>> | undefined;
          if (!props || path.endsWith('/properties')) continue;
          for (const [key, sub] of Object.entries(props)) {
            const viaRef = typeof sub.$ref === 'string' && !sub.$ref.startsWith('#');
            if (typeof sub.description !== 'string' && !viaRef) missing.push(`${rel}#${path}/${container}/${key}`);
          }
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('the task vocabulary comes from the schema', () => {
    const v = playbookVocabulary();
    assert.deepEqual(v.handlerOnlyKeywords, ['listen']);
    for (const k of ['name', 'when', 'register', 'notify', 'tags', 'ignore_errors', 'changed_when', 'failed_when', 'until', 'timeout', 'retries', 'delay', 'vars']) {
      assert.ok(v.taskKeywords.includes(k), k);
    }
  });
});

describe('config/schema: turning ajv errors into problems', () => {
  const problemsFor = (schema: object, text: string): string[] => {
    const ajv = createAjv();
    const fn = ajv.compile(schema);
    const yaml = parseYamlText('f.yml', text);
    assert.equal(fn(yaml.value), false);
    return describeErrors(yaml, fn.errors ?? []).map((p) => `${p.line}:${p.column} ${p.message}`);
  };

  it('merges the type errors of oneOf branches into one, and drops them when a branch of the right type says more', () => {
    const schema = { type: 'object', properties: { a: { oneOf: [{ type: 'string' }, { type: 'array' }, { type: 'object', required: ['x'] }] } } };
    assert.deepEqual(problemsFor(schema, 'a: 1\n'), ['1:4 expected string, list or mapping, got integer']);
    assert.deepEqual(problemsFor(schema, 'a: {y: 1}\n'), ["1:4 missing required key 'x'"]);
  });

  it('uses the errorMessage of a oneOf/anyOf instead of its branches', () => {
    const schema = { properties: { when: { anyOf: [{ enum: ['now'] }, { format: 'date-time' }], errorMessage: 'when must be now or a date-time' } } };
    assert.deepEqual(problemsFor(schema, 'when: soon\n'), ['1:7 when must be now or a date-time']);
  });

  it('suggests the closest allowed key and puts unknown keys at the key', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { hosts: {}, name: {} } };
    assert.deepEqual(problemsFor(schema, 'name: x\nhost: y\n'), ["2:1 unknown key 'host' (did you mean 'hosts'? expected one of: hosts, name)"]);
  });

  it('reports a bad key name at the key', () => {
    const schema = { type: 'object', propertyNames: { pattern: '^[a-z]+$', errorMessage: 'lower-case letters only' } };
    assert.deepEqual(problemsFor(schema, 'ok: 1\nNot: 2\n'), ["2:1 invalid key 'Not': lower-case letters only"]);
  });
});
