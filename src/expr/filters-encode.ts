/**
 * Encoding filters, as ansible-core 2.14 defines them: b64encode, b64decode (Python's non-strict
 * decoder), hash (hashlib names), md5, sha1/checksum, to_uuid (uuid5 in Ansible's namespace).
 */
import { createHash } from 'node:crypto';
import type { FilterFn } from './filters.js';
import { pyRepr, pyStr } from './py-text.js';
import { argument as arg, type CallEnv } from './tests.js';

function bytesOf(v: unknown, encoding: unknown, env: CallEnv): Buffer {
  const enc = String(encoding ?? 'utf-8').toLowerCase().replace(/[-_]/g, '');
  const map: Record<string, BufferEncoding> = { utf8: 'utf8', utf16le: 'utf16le', latin1: 'latin1', iso88591: 'latin1', ascii: 'ascii' };
  if (!Object.hasOwn(map, enc)) return env.fail(`unsupported encoding ${pyStr(encoding)}`);
  return Buffer.from(pyStr(v), map[enc]);
}

/** The base64 characters Python's non-strict b64decode reads: others skipped, stop after the padding. */
function base64Data(s: string, env: CallEnv): string {
  let data = '';
  let quad = 0;
  let pads = 0;
  for (const c of s) {
    if (c === '=') {
      pads += 1;
      if (quad >= 2 && quad + pads >= 4) return data;
      continue;
    }
    if (!/[A-Za-z0-9+/]/.test(c)) continue;
    pads = 0;
    data += c;
    quad = (quad + 1) % 4;
  }
  if (quad === 1) env.fail(`b64decode: invalid base64: the number of data characters (${data.length}) cannot be 1 more than a multiple of 4`);
  if (quad !== 0) env.fail('b64decode: incorrect padding');
  return data;
}

const HASHES: Record<string, string> = {
  md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512',
  sha3_224: 'sha3-224', sha3_256: 'sha3-256', sha3_384: 'sha3-384', sha3_512: 'sha3-512', blake2b: 'blake2b512', blake2s: 'blake2s256',
};

function hash(v: unknown, type: unknown, env: CallEnv): string {
  const name = String(type).toLowerCase();
  if (!Object.hasOwn(HASHES, name)) return env.fail(`unsupported hash type ${pyRepr(type)}`);
  return createHash(HASHES[name]!).update(pyStr(v), 'utf8').digest('hex');
}

/** RFC 4122 name-based UUID (version 5), as Python's uuid.uuid5. */
function uuid5(name: string, namespace: string, env: CallEnv): string {
  const ns = namespace.replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/i.test(ns)) return env.fail(`to_uuid: invalid namespace ${pyStr(namespace)}`);
  const h = createHash('sha1').update(Buffer.from(ns, 'hex')).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const ENCODE_FILTERS: Array<[string[], FilterFn]> = [
  [['b64encode'], (v, args, kwargs, env) => bytesOf(v, arg(args, kwargs, 0, 'encoding', 'utf-8'), env).toString('base64')],
  [['b64decode'], (v, args, kwargs, env) => {
    const clean = base64Data(pyStr(v), env);
    const enc = String(arg(args, kwargs, 0, 'encoding', 'utf-8')).toLowerCase().replace(/[-_]/g, '');
    return Buffer.from(clean, 'base64').toString(enc === 'utf16le' ? 'utf16le' : enc === 'latin1' ? 'latin1' : 'utf8');
  }],
  [['hash'], (v, args, kwargs, env) => hash(v, arg(args, kwargs, 0, 'hashtype', 'sha1'), env)],
  [['md5'], (v, _a, _k, env) => hash(v, 'md5', env)],
  [['sha1', 'checksum'], (v, _a, _k, env) => hash(v, 'sha1', env)],
  [['to_uuid'], (v, args, kwargs, env) => uuid5(pyStr(v), String(arg(args, kwargs, 0, 'namespace', '361E6D51-FAEC-444A-9079-341386DA8E2E')), env)],
];
