/**
 * The one gate every end-to-end suite calls in `before`: lab suites never skip silently.
 * When the lab cannot run here, the suite FAILS naming what is missing. REMEDY_SKIP_LAB=1 is the explicit
 * opt-out: the suite is skipped and a line in capitals says that the end-to-end suites were skipped.
 *
 *   before(function () { requireLab(this); });
 */
import { labPrerequisites } from './index.js';

export const SKIP_VARIABLE = 'REMEDY_SKIP_LAB';
let announced = false;

/** Returns true when the lab can run; skips the suite (opt-out) or throws (missing prerequisites). */
export function requireLab(ctx?: Mocha.Context): boolean {
  const missing = labPrerequisites();
  if (process.env[SKIP_VARIABLE] === '1') {
    if (!announced) {
      announced = true;
      const why = missing.length > 0 ? `; THE LAB COULD NOT RUN HERE ANYWAY: ${missing.join('; ').toUpperCase()}` : '';
      process.stderr.write(`\n*** END-TO-END (LAB) SUITES WERE SKIPPED BECAUSE ${SKIP_VARIABLE}=1${why} ***\n\n`);
    }
    ctx?.skip();
    return false;
  }
  if (missing.length === 0) return true;
  throw new Error(
    `the lab cannot run on this machine: ${missing.join('; ')}. ` +
      `End-to-end suites need Linux, root and the packages in .ci/run; set ${SKIP_VARIABLE}=1 to skip them explicitly.`,
  );
}
