/**
 * Preloaded into remedy (`--import`) by the fault tests that bound memory: at exit, the process writes
 * its own peak resident set (VmHWM from /proc/self/status, in kB) to $REMEDY_TEST_PEAK_FILE.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env['REMEDY_TEST_PEAK_FILE'];
if (out) {
  process.on('exit', () => {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(out, m?.[1] ?? '');
  });
}
