/**
 * Small stand-in rpm packages (no files) built with rpmbuild, installed with `rpm -i --justdb` so the
 * rpm database of a rhel host holds kernel, kernel-core and glibc with real install times.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustRun } from './run.js';

export interface RpmSpec {
  name: string;
  version: string;
  release: string;
}

/** The running kernel as an rpm version: uname -r 6.18.44-fc-v669 → version 6.18.44, release fc_v669. */
export function runningKernelRpm(release: string): { version: string; release: string } {
  const dash = release.indexOf('-');
  const version = dash < 0 ? release : release.slice(0, dash);
  const rel = dash < 0 ? '1' : release.slice(dash + 1).replace(/-/g, '_');
  return { version, release: rel };
}

function specText(p: RpmSpec): string {
  return [
    `Name: ${p.name}`, `Version: ${p.version}`, `Release: ${p.release}`,
    'Summary: remedy lab stand-in package', 'License: MIT', 'BuildArch: x86_64', 'AutoReqProv: no', '',
    '%description', 'remedy lab stand-in package (no files), installed with --justdb.', '',
    '%files', '',
  ].join('\n');
}

/** Builds the packages into `outDir`; returns their file paths in the same order. */
export async function buildRpms(packages: RpmSpec[], outDir: string): Promise<string[]> {
  const top = await mkdtemp(join(tmpdir(), 'remedy-lab-rpm-'));
  try {
    await mkdir(outDir, { recursive: true });
    const files: string[] = [];
    for (const p of packages) {
      const spec = join(top, `${p.name}.spec`);
      await writeFile(spec, specText(p));
      await mustRun('rpmbuild', [
        '-bb', '--quiet', '--target', 'x86_64', '--define', `_topdir ${top}`, '--define', `_rpmdir ${outDir}`,
        '--define', '_build_id_links none', '--define', '_rpmfilename %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm', spec,
      ], { timeoutMs: 60_000 });
      files.push(join(outDir, `${p.name}-${p.version}-${p.release}.x86_64.rpm`));
    }
    const made = new Set(await readdir(outDir));
    for (const f of files) if (!made.has(f.slice(outDir.length + 1))) throw new Error(`lab: rpmbuild did not write ${f}`);
    return files;
  } finally {
    await rm(top, { recursive: true, force: true });
  }
}

/** Base packages of a rhel host: the running kernel and the C library, installed now (before boot). */
export async function buildRpmDatabase(root: string): Promise<void> {
  const { release } = await import('node:os');
  const k = runningKernelRpm(release());
  const pkgs: RpmSpec[] = [
    { name: 'kernel', ...k },
    { name: 'kernel-core', ...k },
    { name: 'glibc', version: '2.34', release: '100.el9' },
  ];
  const dir = join(root, 'usr/share/remedy-lab/rpms');
  const files = await buildRpms(pkgs, dir);
  const db = join(root, 'var/lib/rpm');
  await mkdir(db, { recursive: true });
  await mustRun('rpm', ['--dbpath', db, '-i', '--justdb', '--nodeps', '--noscripts', '--ignorearch', '--ignoreos', ...files]);
  await rm(dir, { recursive: true, force: true });
}
