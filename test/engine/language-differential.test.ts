/**
 * The playbook language end to end, compared with the real ansible-playbook: loops, loop_control,
 * with_*, registered loop results, blocks with rescue and always, include_tasks, import_tasks,
 * import_playbook and vars_files. Every case of language-cases.ts is a play on a host of its own
 * (connection local); one ansible-playbook run (a stdout callback that prints each task result as
 * JSON) and one `remedy run` (its JSON report) run them all. Per host, both must run the same
 * tasks with the same status, print the same messages (tasks named show…) and fail the host alike.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remedy, repoRoot, scratch } from '../cli/run-cli.js';
import { type LanguageCase, LANGUAGE_CASES } from './language-cases.js';

interface AnsibleTask { event: 'task'; kind: string; host: string; task: string; result: Record<string, unknown> }
interface AnsibleStats { event: 'stats'; host: string; stats: { failures: number; unreachable: number } }
interface Report { hosts: Array<{ name: string; status: string; steps: Array<{ task: string; status: string; message: string }> }> }

const host = (i: number) => `h${String(i + 1).padStart(2, '0')}`;

/** A play imported from another playbook (on a host of its own), beside the cases. */
const IMPORT_HOST = host(LANGUAGE_CASES.length);
const IMPORTED = [
  `- name: imported play`,
  `  hosts: ${IMPORT_HOST}`,
  `  gather_facts: false`,
  `  vars: { origin: imported, keep: mine }`,
  `  tasks:`,
  `    - name: show imported vars`,
  `      debug: { msg: "{{ origin }} {{ keep }}" }`,
  '',
].join('\n');

/** One playbook for the cases that pass (and the import), one for each case that fails its host or has flags. */
function playbooks(): Array<{ file: string; text: string; args: string[] }> {
  const play = (k: LanguageCase) => `- name: ${JSON.stringify(k.name)}\n  hosts: ${host(LANGUAGE_CASES.indexOf(k))}\n  gather_facts: false${k.body}\n`;
  const alone = (k: LanguageCase) => k.fails === true || k.args !== undefined;
  const together = LANGUAGE_CASES.filter((k) => !alone(k)).map(play).join('');
  return [
    { file: 'site.yml', text: `${together}- import_playbook: imported.yml\n  vars: { origin: importer }\n`, args: [] },
    ...LANGUAGE_CASES.filter(alone).map((k) => ({ file: `alone-${LANGUAGE_CASES.indexOf(k)}.yml`, text: play(k), args: k.args ?? [] })),
  ];
}

/** What happened on one host: each task's status (and the message of show… tasks), and whether the host failed. */
interface Outcome { tasks: string[]; failed: boolean }

function ansibleOutcomes(stdout: string, out: Map<string, Outcome>): void {
  const get = (h: string) => out.get(h) ?? out.set(h, { tasks: [], failed: false }).get(h)!;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as AnsibleTask | AnsibleStats;
    if (e.event === 'stats') {
      get(e.host).failed = e.stats.failures > 0 || e.stats.unreachable > 0;
      continue;
    }
    const status = e.kind === 'ok' ? (e.result.changed === true ? 'changed' : 'ok') : e.kind;
    // remedy's debug prints a value that is no text as JSON.
    const text = typeof e.result.msg === 'string' ? e.result.msg : JSON.stringify(e.result.msg);
    const msg = e.task.startsWith('show') && status === 'ok' ? `: ${text}` : '';
    get(e.host).tasks.push(`${e.task} ${status}${msg}`);
  }
}

function remedyOutcomes(report: Report, out: Map<string, Outcome>): void {
  for (const h of report.hosts) {
    if (h.steps.length === 0) continue;
    out.set(h.name, {
      failed: h.status === 'failed',
      tasks: h.steps.map((s) => `${s.task} ${s.status}${s.task.startsWith('show') && s.status === 'ok' ? `: ${s.message}` : ''}`),
    });
  }
}

function ansiblePlaybook(dir: string, file: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('ansible-playbook', ['-i', join(dir, 'hosts.yml'), join(dir, file), ...args], {
      cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_CALLBACK_PLUGINS: join(repoRoot, 'test/engine/ansible-callback'),
        ANSIBLE_STDOUT_CALLBACK: 'remedy_events', ANSIBLE_LOCAL_TEMP: dir, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0',
      },
    }, (_err, stdout) => resolve(stdout));
  });
}

async function remedyRun(dir: string, file: string, args: string[]): Promise<Report> {
  const json = join(dir, `${file}.json`);
  // The cases run at the same time on this machine: each its own local host lock, as separate machines would.
  const lockDir = mkdtempSync(join(dir, 'lock-'));
  const run = await remedy(['run', join(dir, file), '-i', join(dir, 'hosts.yml'), '--json', json, '--no-progress', ...args], { env: { REMEDY_LOCAL_LOCK_DIR: lockDir } });
  assert.ok(existsSync(json), `remedy run ${file} wrote no report:\n${run.stdout}${run.stderr}`);
  return JSON.parse(readFileSync(json, 'utf8')) as Report;
}

describe('engine: the playbook language, compared with ansible-playbook on localhost', function () {
  this.timeout(300_000);
  let ansible = new Map<string, Outcome>();
  let ours = new Map<string, Outcome>();

  before(async () => {
    const files: Record<string, string> = { 'imported.yml': IMPORTED, 'ansible.cfg': '' };
    for (const k of LANGUAGE_CASES) Object.assign(files, k.files ?? {});
    const books = playbooks();
    for (const b of books) files[b.file] = b.text;
    const dir = scratch(files);
    const hosts = [...LANGUAGE_CASES.map((_, i) => host(i)), IMPORT_HOST];
    writeFileSync(join(dir, 'hosts.yml'), `all:\n  vars: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 }\n  hosts:\n${hosts.map((h) => `    ${h}:\n`).join('')}`);
    const [stdouts, reports] = await Promise.all([
      Promise.all(books.map((b) => ansiblePlaybook(dir, b.file, b.args))),
      Promise.all(books.map((b) => remedyRun(dir, b.file, b.args))),
    ]);
    for (const out of stdouts) ansibleOutcomes(out, ansible);
    for (const report of reports) remedyOutcomes(report, ours);
  });

  it('ansible-playbook ran every case', () => assert.equal(ansible.size, LANGUAGE_CASES.length + 1, [...ansible.keys()].join(' ')));

  LANGUAGE_CASES.forEach((k, i) => {
    const h = host(i);
    if (!k.known) {
      it(k.name, () => assert.deepEqual(ours.get(h), ansible.get(h)));
      return;
    }
    const known = k.known;
    it(`${k.name} (known difference: ${known.reason})`, () => {
      assert.deepEqual(ansible.get(h)?.tasks, known.ansible, 'ansible-playbook');
      assert.deepEqual(ours.get(h)?.tasks, known.remedy, 'remedy');
      assert.equal(ours.get(h)?.failed, ansible.get(h)?.failed, 'the host fails alike');
    });
  });

  it("import_playbook: the import's vars win over the imported play's", () => assert.deepEqual(ours.get(IMPORT_HOST), ansible.get(IMPORT_HOST)));
});
