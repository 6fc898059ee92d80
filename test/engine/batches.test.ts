import { strict as assert } from 'node:assert';
import { batchFailed, serialBatchSizes, splitIntoBatches } from '../../src/engine/batches.js';
import { selectTasks } from '../../src/engine/tags.js';
import type { Task } from '../../src/model/playbook.js';

describe('serial batches', () => {
  const cases: Array<[number, Parameters<typeof serialBatchSizes>[1], number[]]> = [
    [20, '30%', [6, 6, 6, 2]],
    [20, undefined, [20]],
    [5, 2, [2, 2, 1]],
    [10, [1, 3, '50%'], [1, 3, 5, 1]],
    [3, '10%', [1, 1, 1]],
    [7, ['1', 5], [1, 5, 1]],
    [0, 3, []],
    [4, 10, [4]],
  ];
  for (const [total, serial, expected] of cases) {
    it(`${JSON.stringify(serial)} of ${total} hosts gives ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(serialBatchSizes(total, serial), expected);
    });
  }
  it('keeps the host order across batches', () => {
    assert.deepEqual(splitIntoBatches(['a', 'b', 'c', 'd', 'e'], 2), [['a', 'b'], ['c', 'd'], ['e']]);
  });
  it('rejects a serial value that is not a number or a percentage', () => {
    assert.throws(() => serialBatchSizes(4, 'half'), /serial: 'half'/);
  });
});

describe('max_fail_percentage', () => {
  it('stops only when failures are strictly greater than the threshold', () => {
    assert.equal(batchFailed(3, 10, 30), false);
    assert.equal(batchFailed(4, 10, 30), true);
    assert.equal(batchFailed(1, 10, 0), true);
    assert.equal(batchFailed(0, 10, 0), false);
    assert.equal(batchFailed(10, 10, 100), false);
  });
  it('without a threshold stops only when every host of the batch failed', () => {
    assert.equal(batchFailed(2, 3), false);
    assert.equal(batchFailed(3, 3), true);
  });
});

describe('tags', () => {
  const task = (name: string, tags: string[]): Task => ({
    name, type: 'debug', args: {}, when: [], notify: [], tags, ignoreErrors: false, vars: {}, listen: [], source: { file: 'x.yml' },
  });
  const tasks = [task('a', ['restart']), task('b', []), task('c', ['always']), task('d', ['never', 'reboot'])];
  const names = (t: Task[]): string[] => t.map((x) => x.name);
  it('runs everything but never-tagged tasks by default', () => assert.deepEqual(names(selectTasks(tasks, [])), ['a', 'b', 'c']));
  it('--tags keeps matching tasks and always', () => assert.deepEqual(names(selectTasks(tasks, [], ['restart'])), ['a', 'c']));
  it('--tags can ask for a never task', () => assert.deepEqual(names(selectTasks(tasks, [], ['reboot'])), ['c', 'd']));
  it('--skip-tags wins, even over always', () => assert.deepEqual(names(selectTasks(tasks, [], [], ['always', 'restart'])), ['b']));
  it('play tags apply to every task, and asking for one runs never-tagged tasks too (as Ansible)', () => assert.deepEqual(names(selectTasks(tasks, ['kernel'], ['kernel'])), ['a', 'b', 'c', 'd']));
});
