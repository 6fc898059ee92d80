/**
 * restart_services' remote script on a host whose /tmp is full (no block and no inode left): run with
 * this machine's sh in a mount namespace of its own (unshare: root, as the lab needs) with a filled
 * tmpfs over /tmp, and a stand-in `service` command that writes down what it was asked. The lab suite
 * test/faults/host-faults runs the same on a real host through remedy.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildScriptCommand } from '../../src/facts/script.js';
import { RESTART_SH } from '../../src/steps/restart-script.js';
import { requireLab } from '../lab/require-lab.js';

describe('steps/restart-script: a full /tmp on the host', () => {
  before(function () { requireLab(this); });

  it('the restart still runs (it used to fail to open its log and report exit code 2); its own output is dropped, and the script says so', () => {
    // not under /tmp: the namespace's /tmp is the full tmpfs
    const dir = mkdtempSync('/var/tmp/remedy-restart-full-');
    try {
      writeFileSync(join(dir, 'service'), `#!/bin/sh\necho "$*" >> ${dir}/asked\necho the restart prints this\n`);
      chmodSync(join(dir, 'service'), 0o755);
      const script = buildScriptCommand(RESTART_SH, ['sysv', 'fake', '0', '']);
      const fill = '(dd if=/dev/zero of=/tmp/fill bs=4k 2>/dev/null; i=0; while touch /tmp/f$i 2>/dev/null; do i=$((i+1)); done; true)';
      const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c',
        `mount -t tmpfs -o size=4k,nr_inodes=4 remedy-full /tmp && ${fill} && PATH="$1:$PATH" && export PATH && exec sh -c "$2"`, 'sh', dir, script], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^rc\tfake\t0$/m, r.stdout + r.stderr);
      assert.match(r.stdout, /^after\tfake\tactive$/m);
      assert.equal(readFileSync(join(dir, 'asked'), 'utf8').split('\n')[0], 'fake restart');
      assert.match(r.stderr, /no room for a temporary file \(\/tmp full\?\): the restart's own output is not kept/);
      assert.doesNotMatch(r.stderr, /cannot create/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
