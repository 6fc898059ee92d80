import { UsageError } from '../model/errors.js';
import type { MaxFail, Shard } from '../model/results.js';

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** "90m", "2h", "45s", "1h30m" in milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

/**
 * --deadline: an ISO 8601 time (with a UTC offset or Z; without one, this machine's local time) or
 * a duration from `now` (90m, 2h, 45s, 1h30m). A time already past is allowed: no batch starts.
 */
export function parseDeadline(text: string, now: Date): Date {
  const duration = parseDuration(text);
  if (duration !== undefined) return new Date(now.getTime() + duration);
  const m = ISO_TIME.exec(text.trim());
  if (m) {
    const [, , month, day, hour, minute, second] = m.map(Number);
    const valid = month! >= 1 && month! <= 12 && day! >= 1 && day! <= 31 && hour! <= 23 && minute! <= 59 && (second === undefined || Number.isNaN(second) || second <= 59);
    let iso = text.trim().replace(' ', 'T');
    if (/[+-]\d{4}$/.test(iso)) iso = `${iso.slice(0, -2)}:${iso.slice(-2)}`;
    const at = Date.parse(iso);
    if (valid && Number.isFinite(at)) return new Date(at);
  }
  throw new UsageError(`--deadline: '${text}' is neither an ISO 8601 time (2025-06-03T06:00Z, 2025-06-03T08:00+02:00) nor a duration from now (90m, 2h, 45s, 1h30m)`);
}

/** --max-fail N (more than N hosts) or P% (more than P percent of the run's hosts). */
export function parseMaxFail(text: string): MaxFail {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { value: Number(t), unit: 'hosts' };
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (m && Number(m[1]) <= 100) return { value: Number(m[1]), unit: 'percent' };
  throw new UsageError(`--max-fail: expected a number of hosts (3) or a percentage of the run's hosts from 0% to 100% (10%), got '${text}'`);
}

/** --shard I/N, 1 <= I <= N. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard: expected I/N with 1 <= I <= N (shard 2 of 3 is 2/3; from a 0-based index such as JOB_COMPLETION_INDEX add 1), got '${text}'`);
  }
  return { index, count };
}

/** --lock-wait: a duration (0, 30s, 5m) in seconds. */
export function parseLockWait(text: string): number {
  if (/^\s*0+\s*$/.test(text)) return 0;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--lock-wait: expected a duration such as 30s, 5m or 0, got '${text}'`);
  return ms / 1000;
}
