/** A stand-in kernel image that needrestart reads like a real x86 bzImage, and its .deb package. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun } from './run.js';

export const NEW_KERNEL_DEB = { release: '6.99.0-1-remedy-lab', version: '6.99.0-1' };
export const NEW_KERNEL_RPM = { version: '6.99.0', release: '1.el9', uname: '6.99.0-1.el9.x86_64' };

/**
 * 1.1 MB (needrestart skips images under 1 MB) with the bzImage header field at 0x20e pointing at
 * the version string (at 0x200 + offset), as nr_linux_version_x86 reads it.
 */
export function fakeKernelImage(release: string): Buffer {
  const image = Buffer.alloc(1_100_000);
  const offset = 0x3000;
  image.write('HdrS', 0x202, 'latin1');
  image.writeUInt16LE(offset, 0x20e);
  image.write(`${release} (remedy-lab@lab) #1 SMP PREEMPT_DYNAMIC remedy lab stand-in\0`, 0x200 + offset, 'latin1');
  return image;
}

/** Builds linux-image-<release>_<version>_amd64.deb holding /boot/vmlinuz-<release>; returns its path. */
export async function buildKernelDeb(workDir: string): Promise<string> {
  const { release, version } = NEW_KERNEL_DEB;
  const pkg = join(workDir, 'pkg');
  await rm(workDir, { recursive: true, force: true });
  await mkdir(join(pkg, 'DEBIAN'), { recursive: true });
  await mkdir(join(pkg, 'boot'), { recursive: true });
  await writeFile(join(pkg, 'boot', `vmlinuz-${release}`), fakeKernelImage(release));
  await writeFile(join(pkg, 'DEBIAN', 'control'), [
    `Package: linux-image-${release}`, `Version: ${version}`, 'Architecture: amd64', 'Maintainer: remedy lab <lab@remedy.invalid>',
    'Section: kernel', 'Priority: optional', `Description: Linux ${release} (remedy lab stand-in)`, ' A stand-in kernel image package built by the remedy lab.', '',
  ].join('\n'));
  const out = join(workDir, `linux-image-${release}_${version}_amd64.deb`);
  await mustRun('dpkg-deb', ['-Zgzip', '-z1', '--root-owner-group', '--build', pkg, out]);
  await rm(pkg, { recursive: true, force: true });
  return out;
}
