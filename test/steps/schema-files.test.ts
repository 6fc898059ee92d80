import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { schemasDir } from '../../src/config/schema.js';
import { authoringSchema, strictSchema, StringEnum, Templated, Types, TEMPLATE_PATTERN } from '../../src/steps/args.js';
import { allSteps } from '../../src/steps/registry.js';
import { formatJson, generatedSchemaFiles, stepSchemaFile, withStepsDef } from '../../src/steps/schema-files.js';

const read = (rel: string): string => readFileSync(`${schemasDir}${rel}`, 'utf8');

describe('steps/schema-files: schemas generated from the step declarations', () => {
  it('the committed schema files are what the declarations generate (else: run npm run build)', () => {
    const files = generatedSchemaFiles(allSteps(), read('playbook.schema.json'));
    const stale = [...files].filter(([rel, text]) => read(rel) !== text).map(([rel]) => `schemas/${rel}`);
    assert.deepEqual(stale, [], `out of date: ${stale.join(', ')}: run npm run build, and commit the result`);
    const extra = readdirSync(`${schemasDir}steps`).filter((n) => !files.has(`steps/${n}`));
    assert.deepEqual(extra, [], 'schema files of steps that are not registered: run npm run build');
    assert.equal(files.size, allSteps().length + 1);
  });

  it("playbook.schema.json lists the registry's steps in its order, and keeps the rest of the file as written", () => {
    const steps = [{ name: 'b', args: Type.Null() }, { name: 'a', args: Type.Null() }];
    const text = ['{', '  "$defs": {', '    "x": { "a": 1 },', '    "steps": {', '      "old": 1', '    },', '    "y": {}', '  }', '}'].join('\n');
    const out = withStepsDef(text, steps);
    const json = JSON.parse(out) as { $defs: { x: unknown; y: unknown; steps: { properties: Record<string, unknown> } } };
    assert.deepEqual(json.$defs.steps.properties, { b: { $ref: 'steps/b.schema.json' }, a: { $ref: 'steps/a.schema.json' } });
    assert.deepEqual([json.$defs.x, json.$defs.y], [{ a: 1 }, {}]);
    assert.ok(out.startsWith('{\n  "$defs": {\n    "x": { "a": 1 },\n    "steps": {\n'));
    assert.throws(() => withStepsDef('{}', steps), /no .*"steps"/);
  });

  it('formats lists of plain values on one line, and every generated file reads back as its schema', () => {
    assert.equal(formatJson({ a: ['x', 1], b: [{ c: null }], d: {} }), '{\n  "a": ["x", 1],\n  "b": [\n    {\n      "c": null\n    }\n  ],\n  "d": {}\n}');
    for (const step of allSteps()) {
      const text = generatedSchemaFiles([step], read('playbook.schema.json')).get(`steps/${step.name}.schema.json`)!;
      assert.deepEqual(JSON.parse(text), stepSchemaFile(step), step.name);
      assert.equal((JSON.parse(text) as { title: string }).title, step.name);
    }
  });

  it('Templated: a {{ template }} in the authoring schema only, in the form the field type allows', () => {
    const number = Templated(Type.Number({ minimum: 1, errorMessage: 'n must be a number' }));
    assert.deepEqual(strictSchema(number), { minimum: 1, errorMessage: 'n must be a number', type: 'number' });
    assert.deepEqual(authoringSchema(number), { minimum: 1, errorMessage: 'n must be a number (or a {{ template }})', type: ['number', 'string'], pattern: TEMPLATE_PATTERN });
    const name = Templated(Type.String({ pattern: '^[a-z]+$', errorMessage: 'a name' }), ' (or a template)');
    assert.deepEqual(authoringSchema(name), { pattern: '^([a-z]+|\\{\\{.*\\}\\})$', errorMessage: 'a name (or a template)', type: 'string' });
    const nested = Type.Object({ list: Type.Optional(Templated(Type.Array(Type.String(), { errorMessage: 'a list' }))) });
    assert.deepEqual((authoringSchema(nested) as { properties: { list: { type: string[] } } }).properties.list.type, ['array', 'string']);
    assert.equal((strictSchema(nested) as { properties: { list: { type: string } } }).properties.list.type, 'array');
    assert.throws(() => Templated(Type.Number()), /needs an errorMessage/);
    assert.throws(() => authoringSchema(Templated(Type.String({ errorMessage: 'free text' }))), /cannot add a template form/);
  });

  it('Types merges branches of different types into one node, StringEnum is a plain enum', () => {
    assert.deepEqual(strictSchema(Types([Type.String({ minLength: 1 }), Type.Array(Type.String(), { minItems: 1 })], { description: 'd' })),
      { type: ['string', 'array'], minLength: 1, items: { type: 'string' }, minItems: 1, description: 'd' });
    assert.throws(() => Types([Type.String({ description: 'a' }), Type.Number({ description: 'b' })]), /two branches set 'description'/);
    assert.deepEqual(strictSchema(StringEnum(['a', 'b'], { default: 'a' })), { default: 'a', enum: ['a', 'b'] });
  });
});
