/**
 * Address allocation for concurrent labs: each address 127.0.1.N is claimed by creating
 * /run/remedy-lab/addresses/127.0.1.N with O_EXCL (atomic on one filesystem), so two labs started
 * at the same time never get the same address. A claim whose lab directory is gone (a lab killed
 * without down) is reclaimed by removing it and claiming again, still with O_EXCL.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ADDRESS_PREFIX, FIRST_OCTET, LAST_OCTET, addressesDir, labDir } from './paths.js';

async function tryClaim(file: string, lab: string): Promise<boolean> {
  try {
    const fh = await open(file, 'wx');
    await fh.writeFile(`${lab}\n`);
    await fh.close();
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'ENOENT') {
      // another lab's down pruned the directory between our mkdir and open
      await mkdir(addressesDir(), { recursive: true });
      return tryClaim(file, lab);
    }
    throw err;
  }
}

/** A claim is stale when its lab has no directory and the claim is older than a minute. */
async function isStale(file: string): Promise<boolean> {
  try {
    const owner = (await readFile(file, 'utf8')).trim();
    const age = Date.now() - (await stat(file)).mtimeMs;
    return owner !== '' && !existsSync(labDir(owner)) && age > 60_000;
  } catch {
    return false;
  }
}

/** Claims `count` free addresses for the lab; throws when the range is exhausted. */
export async function claimAddresses(lab: string, count: number): Promise<string[]> {
  await mkdir(addressesDir(), { recursive: true });
  const got: string[] = [];
  for (let n = FIRST_OCTET; n <= LAST_OCTET && got.length < count; n++) {
    const address = `${ADDRESS_PREFIX}${n}`;
    const file = join(addressesDir(), address);
    if (await tryClaim(file, lab)) {
      got.push(address);
    } else if (await isStale(file)) {
      await rm(file, { force: true });
      if (await tryClaim(file, lab)) got.push(address);
    }
  }
  if (got.length < count) {
    await releaseAddresses(lab, got);
    throw new Error(`lab: only ${got.length} of ${count} addresses free in ${ADDRESS_PREFIX}${FIRST_OCTET}-${LAST_OCTET}`);
  }
  return got;
}

/** Removes the lab's claims (only those that name this lab). */
export async function releaseAddresses(lab: string, addresses?: string[]): Promise<void> {
  const dir = addressesDir();
  if (!existsSync(dir)) return;
  const names = addresses ?? (await readdir(dir));
  for (const address of names) {
    const file = join(dir, address);
    try {
      if ((await readFile(file, 'utf8')).trim() === lab) await rm(file, { force: true });
    } catch {
      /* already gone */
    }
  }
}

/** Removes /run/remedy-lab itself when no lab and no claim is left (best effort, never another lab's files). */
export async function pruneRunDir(runDir: string): Promise<void> {
  try {
    await rmdir(addressesDir()).catch(() => undefined); // only succeeds when empty
    await rmdir(runDir).catch(() => undefined);
  } catch {
    /* another lab is starting: leave it */
  }
}
