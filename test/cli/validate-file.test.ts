import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { looksLikeIniInventory, validateFile } from '../../src/cli/validate-file.js';

describe('config/validate: remedy validate FILE', () => {
  let dir = '';
  const write = async (name: string, text: string) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'remedy-validate-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('a valid playbook: kind playbook, no problems', async () => {
    const file = await write('ok.yml', '- hosts: all\n  tasks:\n    - command: [uptime]\n');
    assert.deepEqual(await validateFile(file), { kind: 'playbook', problems: [], warnings: [], notes: [] });
  });

  it('a playbook with problems: every one, located', async () => {
    const file = await write('bad.yml', '- hosts: all\n  tasks:\n    - comand: ls\n    - command: 42\n');
    const { kind, problems } = await validateFile(file);
    assert.equal(kind, 'playbook');
    assert.deepEqual(problems.map((p) => [p.file, p.line, p.column]), [[file, 3, 7], [file, 4, 16]]);
    assert.match(problems[0]?.message ?? '', /did you mean 'command'/);
  });

  it('a task file (what include_tasks reads) is validated as one, with the files it includes', async () => {
    await write('inner.yml', '- debug: { msg: "{{ x }}" }\n');
    const file = await write('tasks.yml', '- command: [uptime]\n- import_tasks: inner.yml\n');
    assert.deepEqual(await validateFile(file), { kind: 'task file', problems: [] });
    const bad = await write('tasks-bad.yml', '- comand: ls\n- include_tasks: missing.yml\n');
    const { kind, problems } = await validateFile(bad);
    assert.equal(kind, 'task file');
    assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.message.replace(`${dir}/`, '')}`), ["1:3 unknown step type or task keyword 'comand' (did you mean 'command'?)"]);
    const onlyMissing = await write('tasks-missing.yml', '- include_tasks: missing.yml\n');
    assert.deepEqual((await validateFile(onlyMissing)).problems.map((p) => `${p.line}:${p.column} ${p.message.replace(`${dir}/`, '')}`), ['1:18 include_tasks: missing.yml: cannot read file: no such file']);
  });

  it('a valid inventory: kind inventory, no problems', async () => {
    const file = await write('inv.yml', 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
    assert.deepEqual(await validateFile(file), { kind: 'inventory', problems: [], names: ['ansible_connection'] });
  });

  it('an inventory with problems: those of the inventory loader, located', async () => {
    const file = await write('inv-bad.yml', 'all:\n  hosts:\n    localhost:\n  hots: {}\n');
    const { kind, problems } = await validateFile(file);
    assert.equal(kind, 'inventory');
    assert.ok(problems.length >= 1);
    assert.equal(problems[0]?.file, file);
    assert.equal(problems[0]?.line, 4);
  });

  it('an INI inventory is recognised as an inventory, not read as a YAML list', async () => {
    assert.equal(looksLikeIniInventory('# c\n[web]\nhost1\n'), true);
    assert.equal(looksLikeIniInventory('[web, db]\n'), false);
    const file = await write('hosts.ini', '[web]\nweb1 ansible_host=127.0.0.1\n');
    assert.deepEqual(await validateFile(file), { kind: 'inventory', problems: [], names: ['ansible_host'] });
    const bad = await write('bad-hosts.ini', '[web]\nweb1 port\n');
    const { kind, problems } = await validateFile(bad);
    assert.equal(kind, 'inventory');
    assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.message}`), ["2:6 expected key=value after the host name, got 'port'"]);
  });

  it('a missing file is a problem "file not found", not an exception', async () => {
    const file = join(dir, 'missing.yml');
    assert.deepEqual(await validateFile(file), { kind: 'playbook', problems: [{ file, message: 'file not found' }] });
    const inv = join(dir, 'inventory-missing.yml');
    assert.equal((await validateFile(inv)).kind, 'inventory');
  });

  it('a directory, an empty file and a YAML syntax error are problems too', async () => {
    const sub = join(dir, 'sub');
    await mkdir(sub);
    assert.match((await validateFile(sub)).problems[0]?.message ?? '', /is a directory/);
    const empty = await write('empty.yml', '# nothing yet\n');
    assert.deepEqual((await validateFile(empty)).problems.map((p) => p.message), ['the file is empty: expected a list of plays']);
    const broken = await write('broken.yml', '- hosts: all\n  tasks: [\n');
    const v = await validateFile(broken);
    assert.equal(v.problems[0]?.line, 3);
    assert.match(v.problems[0]?.message ?? '', /^YAML syntax error/);
  });
});
