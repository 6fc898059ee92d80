import assert from 'node:assert/strict';
import { docText, stepExample } from '../../src/cli/doc-command.js';
import { describeType, firstSentence, formatStepDoc } from '../../src/cli/step-doc.js';
import { allSteps } from '../../src/steps/registry.js';
import { UsageError } from '../../src/model/errors.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { remedy } from './run-cli.js';

describe('cli: remedy doc', () => {
  it('lists every step with the first sentence of its description', () => {
    const text = docText();
    for (const step of allSteps()) assert.match(text, new RegExp(`^  ${step.name} +\\S`, 'm'), step.name);
    assert.match(text, /^  fail +Fails the host on purpose, with a message \(usually together with `when`\)\.$/m);
  });

  it('every step has an example in the shipped playbooks, and the example is a valid task', () => {
    for (const step of allSteps()) {
      const example = stepExample(step.name);
      assert.ok(example, `no example of ${step.name} in playbooks/`);
      const yaml = `- hosts: all\n  tasks:\n${example.text.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
      assert.doesNotThrow(() => parsePlaybookText('example.yml', yaml), `${step.name}: ${example.text}`);
    }
  });

  it('a step: description, each argument with its type, required, default and meaning, check mode, example', () => {
    const text = docText('reboot');
    assert.match(text, /^reboot\n\n  Reboots the host when its facts say it needs one/);
    assert.match(text, /^Arguments \(all optional; `reboot:` alone uses the defaults\): a mapping of:$/m);
    assert.match(text, /^ {2}reboot_timeout +\(number, or a \{\{ template \}\}; default 600\)\n {6}Seconds to wait/m);
    assert.match(text, /^Check mode \(--check\): runs, and changes nothing\.$/m);
    assert.match(text, /^Example \(playbooks\/[\w/-]+\.yml\):\n\n {2}- name: .*\n( {4}\w+: .*\n)* {4}reboot:\n {6}reboot_timeout:/m);
    const command = docText('command');
    assert.match(command, /^Arguments: a string, a list of strings, or a mapping of:\n {2}argv +\(string or list of strings; required\)/m);
    assert.match(command, /^Check mode \(--check\): skipped, since it cannot predict its outcome\.$/m);
    assert.match(docText('set_fact'), /^Arguments: a mapping of variable names to values\.\n {2}The value: any YAML value/m);
  });

  it('a keyword prints its description; anything else is a usage error with a suggestion', () => {
    assert.match(docText('loop'), /^loop \(task keyword\)\n\n {2}Run the task once per item/);
    assert.match(docText('include_tasks'), /^include_tasks \(task keyword\)/);
    assert.match(docText('serial'), /^serial \(play keyword\)/);
    assert.throws(() => docText('restart_service'), (e: Error) => e instanceof UsageError && /no step or keyword 'restart_service' \(did you mean 'restart_services'\?\)/.test(e.message));
  });

  it('formats types from the schema', () => {
    assert.equal(describeType({ type: ['boolean', 'string'], pattern: '^\\{\\{.*\\}\\}$' }), 'boolean, or a {{ template }}');
    assert.equal(describeType({ type: 'array', items: { type: ['string', 'integer'] } }), 'list of strings or integers');
    assert.equal(describeType({ enum: ['started', 'stopped'] }), 'one of: started, stopped');
    assert.equal(describeType({}), 'any value');
    assert.equal(firstSentence('One. Two.'), 'One.');
    assert.match(formatStepDoc('x', { description: 'Does x.', type: 'object', properties: { a: { type: 'string', description: 'The a.' } }, required: ['a'] }, true),
      /^x\n\n {2}Does x\.\n\nArguments: a mapping of:\n {2}a +\(string; required\)\n {6}The a\.\n/);
  });

  it('the command: remedy doc STEP prints, an unknown one exits 5', async () => {
    const ok = await remedy(['doc', 'service']);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /^service\n/);
    const bad = await remedy(['doc', 'nosuchstep']);
    assert.equal(bad.code, 5);
    assert.match(bad.stderr, /no step or keyword 'nosuchstep'/);
  });
});
