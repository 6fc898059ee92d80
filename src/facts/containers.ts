/**
 * Which container a process belongs to: by its cgroup path (the scope or directory each runtime
 * creates) and by its PID namespace (another one than the probe's). A container's processes are
 * charged to it (owner kind `container`, named runtime:id) and restarted by its runtime, never as
 * host services. A mount namespace of its own does not make a container: systemd gives sandboxed
 * services one (PrivateTmp=, ProtectSystem=); it only means their paths are not the probe's.
 */
import type { ProcessInfo, ProcessOwner } from './types.js';

/** Container ids are shown as `docker ps` shows them: the first 12 hex digits. */
const short = (id: string): string => (/^[0-9a-f]{13,}$/.test(id) ? id.slice(0, 12) : id);

/** systemd escapes "-" in unit names as \x2d (machine-qemu\x2d1\x2dvm.scope). */
const unescape = (s: string): string => s.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

const SCOPES: ReadonlyArray<[RegExp, string]> = [
  [/^docker-([0-9a-f]{12,64})\.scope$/, 'docker'],
  [/^libpod-(?!conmon-)([0-9a-f]{12,64})(?:\.scope)?$/, 'podman'],
  [/^cri-containerd-([0-9a-f]{12,64})\.scope$/, 'containerd'],
  [/^crio-(?!conmon-)([0-9a-f]{12,64})\.scope$/, 'cri-o'],
  [/^systemd-nspawn@(.+)\.service$/, 'nspawn'],
  [/^machine-(.+)\.scope$/, 'machine'],
  [/^lxc\.payload\.(.+)$/, 'lxc'],
  [/^lxc\.monitor\.(.+)$/, 'lxc'],
];

/** The container a cgroup path names (runtime:id), or null. */
export function containerFromCgroup(cgroup: string | null): string | null {
  if (!cgroup || cgroup === '/') return null;
  const parts = cgroup.split('/').filter(Boolean);
  for (const [i, part] of parts.entries()) {
    for (const [re, runtime] of SCOPES) {
      const m = re.exec(part);
      if (m) return `${runtime}:${short(unescape(m[1]!))}`;
    }
    // cgroupfs drivers: /docker/<id>, /lxc/<name>, /kubepods/…/<pod>/<id>, /libpod_parent/libpod-<id>.
    const next = parts[i + 1];
    if (next && (part === 'docker' || part === 'lxc' || part === 'lxc.payload') && /^[\w.-]+$/.test(next)) {
      return `${part === 'docker' ? 'docker' : 'lxc'}:${short(next)}`;
    }
    if (/^kubepods/.test(part)) {
      const id = parts.slice(i + 1).reverse().find((s) => /^[0-9a-f]{64}$/.test(s));
      if (id) return `kubernetes:${short(id)}`;
    }
  }
  return null;
}

/** True when the cgroup names a plain system service (its own PID namespace then comes from PrivatePIDs=). */
function isServiceCgroup(cgroup: string | null): boolean {
  const last = (cgroup ?? '').split('/').filter(Boolean).pop() ?? '';
  return last.endsWith('.service') && !/^user@\d+\.service$/.test(last);
}

/**
 * The container owner of a process, or null when it runs on the host. The cgroup names the runtime and
 * id; a process in another PID namespace that no runtime's cgroup names is charged to that namespace.
 */
export function containerOwner(p: Pick<ProcessInfo, 'cgroup' | 'pidNs'>, selfPidNs: string | null): ProcessOwner | null {
  const named = containerFromCgroup(p.cgroup);
  if (named) return { kind: 'container', name: named };
  const foreign = selfPidNs !== null && p.pidNs !== null && p.pidNs !== selfPidNs;
  if (!foreign || isServiceCgroup(p.cgroup)) return null;
  const inode = /\[(\d+)\]/.exec(p.pidNs!)?.[1] ?? p.pidNs!;
  return { kind: 'container', name: `pidns:${inode}` };
}
