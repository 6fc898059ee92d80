import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybooks, selectTasks } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createLocalTransport } from '../../src/transport/local.js';
import type { RunEvent } from '../../src/model/events.js';
import type { RunReport } from '../../src/model/results.js';
import { type Block, type IncludeTasks, type Task, flattenTasks } from '../../src/model/playbook.js';

/** Runs playbook text (its included files written beside it) on local-connection hosts. */
async function run(yaml: string, files: Record<string, string> = {}, names = ['h1'], extra: Partial<Parameters<typeof runPlaybooks>[0]> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'remedy-lang-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const hosts = names.map((n) => `    ${n}: { ansible_connection: local }`).join('\n');
  const events: RunEvent[] = [];
  const report = await runPlaybooks({
    playbooks: [parsePlaybookText(join(dir, 'pb.yml'), yaml)],
    inventory: parseInventoryText('inv.yml', `all:\n  hosts:\n${hosts}\n`),
    transportFor: createLocalTransport,
    ...extra,
  }, (e) => events.push(e));
  return { report, events, dir };
}

const steps = (report: RunReport, host = 'h1') => report.hosts.find((h) => h.name === host)!.steps.map((s) => `${s.task}:${s.status}`);

describe('engine: loops, blocks and includes on the local connection', () => {
  it('a rescued failure is marked rescued and ignored: the host is not failed', async () => {
    const { report } = await run(`
- hosts: all
  tasks:
    - block:
        - { name: boom, command: "false" }
      rescue:
        - { name: fix, debug: { msg: fixed } }
`);
    const host = report.hosts[0]!;
    assert.deepEqual(steps(report), ['boom:failed', 'fix:ok']);
    assert.deepEqual([host.steps[0]!.rescued, host.steps[0]!.ignored, host.status, report.summary.failed], [true, true, 'ok', 0]);
  });

  it('a looped task notifies its handlers when an item changed; effects and facts gather', async () => {
    const { report } = await run(`
- hosts: all
  tasks:
    - name: each
      command: echo {{ item }}
      loop: [1, 2]
      changed_when: item == 2
      notify: h
    - name: facts
      set_fact: { last: "{{ item }}", seen: "{{ (seen | default([])) + [item] }}" }
      loop: [1, 2]
    - { name: both, assert: { that: ["last == 2", "seen == [1, 2]"] } }
  handlers:
    - { name: h, debug: { msg: handled } }
`);
    assert.deepEqual(steps(report), ['each:changed', 'facts:ok', 'both:ok', 'h:ok']);
    assert.equal(report.hosts[0]!.steps[0]!.message, '(item=1) ok\n(item=2) changed');
  });

  it('free strategy walks blocks and includes per host', async () => {
    const { report } = await run(`
- hosts: all
  strategy: free
  tasks:
    - block:
        - { name: fail on h2, command: "test {{ inventory_hostname }} != h2" }
      rescue:
        - { name: rescue, include_tasks: inc.yml }
      always:
        - { name: always, debug: { msg: a } }
`, { 'inc.yml': '- { name: included, debug: { msg: "{{ inventory_hostname }}" } }\n' }, ['h1', 'h2']);
    assert.deepEqual(steps(report, 'h1'), ['fail on h2:changed', 'always:ok']);
    assert.deepEqual(steps(report, 'h2'), ['fail on h2:failed', 'rescue:ok', 'included:ok', 'always:ok']);
    assert.deepEqual(report.hosts.map((h) => h.status), ['changed', 'ok']);
  });

  it('--tags selects inside blocks and inside the files an include reads; the include needs the tag itself', async () => {
    const yaml = `
- hosts: all
  tasks:
    - block:
        - { name: tagged, debug: { msg: 1 }, tags: t }
        - { name: untagged, debug: { msg: 2 } }
    - { name: inc, include_tasks: inc.yml, tags: t }
    - { name: inc untagged, include_tasks: inc.yml }
`;
    const files = { 'inc.yml': '- { name: in tagged, debug: { msg: 3 }, tags: t }\n- { name: in untagged, debug: { msg: 4 } }\n' };
    const { report } = await run(yaml, files, ['h1'], { tags: ['t'] });
    assert.deepEqual(steps(report), ['tagged:ok', 'inc:ok', 'in tagged:ok']);
    const pb = parsePlaybookText('pb.yml', yaml.replace(/include_tasks: inc\.yml/g, 'include_tasks: "{{ f }}"'));
    const selected = selectTasks(pb.plays[0]!.tasks, [], ['t']);
    assert.deepEqual(selected.map((n) => ('kind' in n ? n.kind : n.name)), ['block', 'include']);
    assert.deepEqual((selected[0] as Block).block.map((t) => (t as Task).name), ['tagged']);
    assert.deepEqual((selected[1] as IncludeTasks).tagFilter, { playTags: [], only: ['t'], skip: [] });
  });

  it('a templated include that names a bad file fails the host with both files named', async () => {
    const { report, dir } = await run(`
- hosts: all
  vars: { which: bad }
  tasks:
    - { name: inc, include_tasks: "{{ which }}.yml" }
`, { 'bad.yml': '- comand: ls\n' });
    const step = report.hosts[0]!.steps[0]!;
    assert.equal(step.status, 'failed');
    assert.equal(step.cause, 'config');
    assert.equal(step.message, `${join(dir, 'bad.yml')}:1:3: unknown step type or task keyword 'comand' (did you mean 'command'?) (included from ${join(dir, 'pb.yml')}:5:7)`);
  });

  it('a self-including file stops at the loop, as a failure of the host', async () => {
    const { report } = await run(`
- hosts: all
  tasks:
    - { name: inc, include_tasks: "{{ 'self' }}.yml" }
`, { 'self.yml': '- { name: again, include_tasks: "{{ \'self\' }}.yml" }\n' });
    assert.deepEqual(steps(report), ['inc:ok', 'again:failed']);
    assert.match(report.hosts[0]!.steps[1]!.message, /include_tasks: include loop: .*self\.yml → .*self\.yml/);
  });

  it('a loop over a registered result keeps its text as data, in task vars too', async () => {
    const { events } = await run(`
- hosts: all
  vars: { secret: s3cr3t }
  tasks:
    - { name: out, shell: "echo '{{ '{{' }} secret {{ '}}' }}'", register: out }
    - name: each
      debug: { msg: "{{ line }}" }
      vars: { line: "{{ item }}" }
      loop: "{{ out.stdout_lines }}"
`);
    const each = events.find((e) => e.type === 'task-result' && e.task === 'each');
    assert.equal(each?.type === 'task-result' ? each.result.message : '', '(item={{ secret }}) ok: {{ secret }}');
  });

  it('a templated service name in a loop is checked once rendered', async () => {
    const { report } = await run(`
- hosts: all
  tasks:
    - { name: svc, service: { name: "{{ item }}", state: started }, loop: ["-x"] }
`, {}, ['h1'], { check: true });
    const step = report.hosts[0]!.steps[0]!;
    assert.deepEqual([step.status, step.cause], ['failed', 'bad-argument']);
    assert.match(step.message, /name must be a service name/);
  });

  it('flattenTasks lists the tasks of blocks, not those of dynamic includes', () => {
    const pb = parsePlaybookText('pb.yml', '- hosts: all\n  tasks:\n    - block: [{ name: a, debug: { msg: 1 } }]\n      always: [{ name: b, debug: { msg: 2 } }]\n    - include_tasks: "{{ x }}"\n');
    assert.deepEqual(flattenTasks(pb.plays[0]!.tasks).map((t) => t.name), ['a', 'b']);
  });
});
