/** The templates of the shipped playbooks, rendered with the language as ansible-core renders them. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybook } from '../../src/config/index.js';
import { renderDeep } from '../../src/expr/index.js';
import { repoRoot } from '../cli/run-cli.js';
import { flattenTasks } from '../../src/model/playbook.js';

describe('expr: the templates of playbooks/applications.yml', () => {
  const stale = [
    { pid: 4242, command: 'editor', user: 'alice', owner: { kind: 'user', name: 'alice' }, pids: [4242], uid: 1000, exe: '/usr/bin/editor', startTime: 1, cgroup: null, staleFiles: [] },
    { pid: 77, command: 'remedy "lab" app', user: 'bob', owner: { kind: 'session', name: '3' }, pids: [77], uid: 1001, exe: null, startTime: 2, cgroup: null, staleFiles: [] },
  ];

  it('lists each stale application as "user: command (pid N)" from its to_json text', async () => {
    const { plays } = await loadPlaybook(join(repoRoot, 'playbooks', 'applications.yml'));
    const list = flattenTasks(plays[0]!.tasks).find((t) => t.name === 'List the stale applications per user')!;
    const msg = (renderDeep(list.args, { stale_applications: stale }) as { msg: Record<string, unknown> }).msg;
    assert.deepEqual(msg, {
      users: ['alice', 'bob'],
      applications: ['alice: editor (pid 4242)', 'bob: remedy \\"lab\\" app (pid 77)'],
    });
  });

  it('picks the user and session processes, and passes their pids as a list', async () => {
    const { plays } = await loadPlaybook(join(repoRoot, 'playbooks', 'applications.yml'));
    const pick = flattenTasks(plays[0]!.tasks).find((t) => t.name === 'Pick the user applications out of the facts')!;
    const facts = { stale: [...stale, { ...stale[0]!, pid: 1, user: 'root', owner: { kind: 'service', name: 'x' } }] };
    const picked = renderDeep(pick.args, { remedy_facts: facts }) as { stale_applications: unknown[] };
    assert.deepEqual(picked.stale_applications, stale);
    const kill = flattenTasks(plays[0]!.tasks).find((t) => t.type === 'kill_processes')!;
    assert.deepEqual((renderDeep(kill.args, { stale_applications: stale }) as { pids: unknown }).pids, [4242, 77]);
  });
});
