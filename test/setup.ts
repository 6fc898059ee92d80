/**
 * Loaded by mocha before every suite. The local connection's host lock lives in this process's own
 * directory, so test runs side by side on one machine (engineers, CI jobs) do not lock each other out;
 * the CLI runs a suite starts inherit it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_LOCK_DIR_ENV } from '../src/engine/host-lock.js';

process.env[LOCAL_LOCK_DIR_ENV] ??= mkdtempSync(join(tmpdir(), 'remedy-test-lock-'));
