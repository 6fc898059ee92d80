import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputTarget, describeWriteError, writeOutput } from '../../src/report/output-file.js';
import { formatJsonReport, writeJsonReport } from '../../src/report/json-report.js';
import { UsageError } from '../../src/model/errors.js';
import { report } from './fixtures.js';

/** mkfifo(1): a named pipe, as a shell's process substitution or a log collector would give. */
function mkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mkfifo', [path], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo exited ${code}`))));
  });
}

/** Reads a FIFO to its end with cat(1), in another process (the writer blocks until a reader opens it). */
function catFifo(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

describe('writeOutput (every report file: --json, --junit, --markdown, --html, --metrics, report -o)', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'remedy-output-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('writes a new regular file and replaces an existing one, leaving no temporary file', async () => {
    const file = join(dir, 'out.xml');
    await writeOutput(file, 'first\n');
    await writeOutput(file, 'second\n');
    assert.equal(await readFile(file, 'utf8'), 'second\n');
    assert.deepEqual(await readdir(dir), ['out.xml']);
  });

  it('writes a FIFO in place: the reader gets the text and the FIFO stays a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    await mkfifo(fifo);
    const reading = catFifo(fifo);
    await writeOutput(fifo, 'through the pipe\n');
    assert.equal(await reading, 'through the pipe\n');
    assert.ok((await lstat(fifo)).isFIFO());
    assert.deepEqual(await readdir(dir), ['pipe']);
  });

  it('writes through a link to /dev/null in place: /dev/null stays a character device (the bug of --json renaming over it)', async () => {
    const link = join(dir, 'null');
    await symlink('/dev/null', link);
    await writeOutput(link, 'x'.repeat(1000));
    await writeJsonReport(link, report());
    assert.ok((await stat('/dev/null')).isCharacterDevice());
    assert.equal(await readlink(link), '/dev/null');
    assert.deepEqual(await readdir(dir), ['null']);
  });

  it('replaces the target of a link to a regular file, keeping the link', async () => {
    await mkdir(join(dir, 'real'));
    const real = join(dir, 'real', 'report.json');
    await writeFile(real, 'old');
    await symlink(real, join(dir, 'link.json'));
    await writeJsonReport(join(dir, 'link.json'), report());
    assert.ok((await lstat(join(dir, 'link.json'))).isSymbolicLink());
    assert.equal(await readFile(real, 'utf8'), formatJsonReport(report()));
    assert.deepEqual(await readdir(join(dir, 'real')), ['report.json']);
  });

  it('writes - to the given stdout stream', async () => {
    const chunks: string[] = [];
    const out = { write(chunk: string, cb: (err?: Error | null) => void) { chunks.push(chunk); cb(); return true; } } as unknown as NodeJS.WritableStream;
    await writeOutput('-', 'to stdout\n', out);
    assert.deepEqual(chunks, ['to stdout\n']);
  });
});

describe('checkOutputTarget (before the run) and describeWriteError', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'remedy-output-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('accepts -, /dev/null, a new file in an existing directory and an existing file', async () => {
    await writeFile(join(dir, 'there.xml'), '');
    for (const f of ['-', '/dev/null', join(dir, 'new.xml'), join(dir, 'there.xml')]) await checkOutputTarget('--junit', f);
  });

  it('rejects a directory, a missing directory and an empty name with a usage error naming the flag', async () => {
    const cases: Array<[string, RegExp]> = [
      [dir, /^--html .*: is a directory, expected a file$/],
      [join(dir, 'missing', 'r.html'), /^--html .*r\.html: the directory .*missing does not exist$/],
      ['', /^--html: expected a file name or - for stdout$/],
    ];
    for (const [file, expected] of cases) {
      await assert.rejects(checkOutputTarget('--html', file), (e: Error) => e instanceof UsageError && expected.test(e.message));
    }
  });

  it('describes node errors in words', () => {
    const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: x`), { code });
    assert.equal(describeWriteError('--json', 'r.json', err('ENOENT')), '--json r.json: cannot write: the directory does not exist');
    assert.equal(describeWriteError('--json', 'r.json', err('EACCES')), '--json r.json: cannot write: permission denied');
    assert.equal(describeWriteError('--json', 'r.json', err('ENOSPC')), '--json r.json: cannot write: no space left on the device');
  });
});
