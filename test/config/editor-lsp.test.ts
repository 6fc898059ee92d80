/**
 * Editor completion and hover from schemas/, proven with the real yaml-language-server (the npm
 * package, as editors run it) over stdio: a playbook and a task file that name their schema with
 * the `# yaml-language-server: $schema=…` line, completions at a task (the steps and the
 * language's keywords, in a block too) and hovers on a step and a keyword (their descriptions).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../cli/run-cli.js';
import { schemasDir } from '../../src/config/schema.js';
import { playbookVocabulary } from '../../src/config/schema.js';
import { LspClient } from './lsp-client.js';

const schemaLine = (file: string) => `# yaml-language-server: $schema=${pathToFileURL(join(schemasDir, file)).href}`;

/** Line and character of a marker `|` in the text, and the text without it. */
function at(text: string): { text: string; line: number; character: number } {
  const offset = text.indexOf('|');
  const before = text.slice(0, offset).split('\n');
  return { text: text.slice(0, offset) + text.slice(offset + 1), line: before.length - 1, character: before[before.length - 1]!.length };
}

/** Position of the first occurrence of `word` (its second character) in the text. */
function positionOf(text: string, word: string): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(word));
  return { line, character: lines[line]!.indexOf(word) + 1 };
}

describe('editors: completion and hover from schemas/ with yaml-language-server', function () {
  this.timeout(60_000);
  let lsp: LspClient;
  const { steps } = playbookVocabulary();

  before(async () => {
    lsp = LspClient.yamlLanguageServer();
    await lsp.initialize();
  });
  after(async () => { await lsp.close(); });

  const playbook = [
    schemaLine('playbook.schema.json'),
    '- hosts: all',
    '  tasks:',
    '    - name: list units',
    '      command: systemctl list-units',
    '      loop: [a, b]',
    '    - name: next',
    '      |',
    '    - block:',
    '        - name: inner',
    '          debug: { msg: x }',
    '  ',
  ].join('\n');

  it('completes a task with the steps and the task keywords (loop, block, include_tasks…)', async () => {
    const { text, line, character } = at(playbook);
    const uri = 'file:///remedy-lsp/play.yml';
    lsp.open(uri, text);
    const labels = await lsp.completionLabels(uri, line, character);
    for (const step of steps) assert.ok(labels.includes(step), `no completion '${step}' in ${labels.join(', ')}`);
    for (const keyword of ['when', 'register', 'loop', 'loop_control', 'with_items', 'block', 'rescue', 'always', 'include_tasks', 'import_tasks']) {
      assert.ok(labels.includes(keyword), `no completion '${keyword}' in ${labels.join(', ')}`);
    }
  });

  it('completes a task inside a block, and the play keywords (vars_files, gather_facts)', async () => {
    const inBlock = at(playbook.replace('          debug: { msg: x }', '          debug: { msg: x }\n        - |'));
    const uri = 'file:///remedy-lsp/block.yml';
    lsp.open(uri, inBlock.text);
    const labels = await lsp.completionLabels(uri, inBlock.line, inBlock.character);
    assert.ok(steps.every((s) => labels.includes(s)), labels.join(', '));
    const playLevel = at(`${schemaLine('playbook.schema.json')}\n- hosts: all\n  |\n`);
    const uri2 = 'file:///remedy-lsp/play-keys.yml';
    lsp.open(uri2, playLevel.text);
    const playLabels = await lsp.completionLabels(uri2, playLevel.line, playLevel.character);
    for (const k of ['tasks', 'vars_files', 'gather_facts', 'serial']) assert.ok(playLabels.includes(k), `no completion '${k}' in ${playLabels.join(', ')}`);
  });

  it('hovers a step key with its description, and a keyword with its', async () => {
    const text = at(playbook).text;
    const uri = 'file:///remedy-lsp/hover.yml';
    lsp.open(uri, text);
    const command = positionOf(text, 'command:');
    assert.match(await lsp.hover(uri, command.line, command.character), /Runs a program directly, without a shell/);
    const loop = positionOf(text, 'loop:');
    assert.match(await lsp.hover(uri, loop.line, loop.character), /Run the task once per item/);
    const block = positionOf(text, 'block:');
    assert.match(await lsp.hover(uri, block.line, block.character), /A group of tasks/);
  });

  it('completes a task file (include_tasks, import_tasks) from schemas/tasks.schema.json', async () => {
    const { text, line, character } = at(`${schemaLine('tasks.schema.json')}\n- name: one\n  |\n`);
    const uri = 'file:///remedy-lsp/tasks.yml';
    lsp.open(uri, text);
    const labels = await lsp.completionLabels(uri, line, character);
    assert.ok(['restart_services', 'service', 'loop', 'block'].every((s) => labels.includes(s)), labels.join(', '));
  });

  it('reports no problem in the shipped playbooks and task files, which name their schema by a relative path', async () => {
    const files = ['playbooks/apply-errata.yml', 'playbooks/kernel.yml', 'playbooks/examples/preflight.yml', 'playbooks/examples/restart-listed.yml',
      'playbooks/examples/tasks/free-space.yml', 'playbooks/examples/tasks/restart-one.yml'];
    for (const file of files) {
      const uri = pathToFileURL(join(repoRoot, file)).href;
      lsp.open(uri, readFileSync(join(repoRoot, file), 'utf8'));
      for (let i = 0; i < 100 && !lsp.diagnostics.has(uri); i++) await sleep(50);
      assert.deepEqual(lsp.diagnostics.get(uri), [], file);
    }
  });

  it('reports a misspelt step in a block as the editor shows it', async () => {
    const text = playbook.replace('debug: { msg: x }', 'debgu: { msg: x }').replace('|', '');
    const uri = 'file:///remedy-lsp/wrong.yml';
    lsp.open(uri, text);
    for (let i = 0; i < 100 && !lsp.diagnostics.get(uri)?.length; i++) await sleep(50);
    assert.ok((lsp.diagnostics.get(uri) ?? []).some((d) => /debgu/.test(d.message)), JSON.stringify(lsp.diagnostics.get(uri)));
  });
});
