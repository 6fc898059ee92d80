export { runPlaybooks, planPlays, type RunOptions } from './run.js';
export { serialBatchSizes, splitIntoBatches, batchFailed } from './batches.js';
export { selectTasks } from './tags.js';
