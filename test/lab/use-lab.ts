/**
 * One lab for a mocha suite: started in `before` (after requireLab, which skips or fails the suite when
 * the lab cannot run), brought down in `after`. The suite reads it through the handle once `before` ran:
 *   const testLab = useLab(this, { name: 'step-faults', count: 5, flavor: 'systemd', setup: quietRootShell });
 *   it('…', async () => { const [a, b] = testLab.hosts; await testLab.lab.exec(a, 'true'); });
 */
import { startLab, suiteLabName, type Lab, type LabHost, type StartOptions } from './index.js';
import { requireLab } from './require-lab.js';

export interface SuiteLab {
  readonly lab: Lab;
  readonly hosts: LabHost[];
}

export interface UseLabOptions extends StartOptions {
  /** Run once the hosts are up (quietRootShell, planting shared by every test…). */
  setup?: (lab: Lab) => Promise<void>;
}

export function useLab(suite: Mocha.Suite, opts: UseLabOptions): SuiteLab {
  let lab: Lab | undefined;
  const { setup, ...start } = opts;
  suite.beforeAll(async function () {
    this.timeout(180_000);
    requireLab(this);
    lab = await startLab({ ...start, name: suiteLabName(start.name) });
    await setup?.(lab);
  });
  suite.afterAll(async function () {
    this.timeout(120_000);
    await lab?.down();
  });
  const started = (): Lab => {
    if (!lab) throw new Error(`lab ${opts.name}: used before the suite's before() started it`);
    return lab;
  };
  return { get lab() { return started(); }, get hosts() { return started().hosts; } };
}
