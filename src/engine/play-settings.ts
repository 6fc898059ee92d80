import type { Play, SerialSpec, Vars } from '../model/playbook.js';
import { ConfigError, ExpressionError } from '../model/errors.js';
import { hasTemplate, renderTemplate, VarScope } from '../expr/index.js';
import { withoutSecrets } from '../inventory/index.js';

export interface PlaySettings { serial?: SerialSpec; maxFailPercentage?: number }

function render(play: Play, key: string, value: unknown, vars: VarScope): unknown {
  if (typeof value !== 'string' || !hasTemplate(value)) return value;
  try {
    return renderTemplate(value, vars);
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    throw new ConfigError({ ...play.source, message: `play '${play.name}': ${key}: ${err.message} (in: ${value})` });
  }
}

/**
 * One serial item, checked before any host runs: a whole number of at least 1, or a percentage of the
 * play's hosts ("30%"; at least one host per batch, as Ansible rounds). Ansible reads 0 or a negative
 * number as "every host at once": in a tool that restarts services and reboots hosts that is refused,
 * with what to write instead.
 */
function checkSerialItem(play: Play, item: unknown): void {
  const fail = (why: string): never => {
    throw new ConfigError({ ...play.source, message: `play '${play.name}': serial: ${why}` });
  };
  const text = typeof item === 'number' ? String(item) : typeof item === 'string' ? item.trim() : undefined;
  if (text === undefined) return fail(`expected a number of hosts or a percentage such as "30%", got ${JSON.stringify(item)}`);
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (pct) {
    if (Number(pct[1]) > 100) fail(`a percentage of the play's hosts is at most 100%, got '${text}'`);
    return;
  }
  if (!/^-?\d+$/.test(text)) return fail(`'${text}' is neither a whole number of hosts nor a percentage such as "30%"`);
  if (Number(text) < 1) fail(`${text} hosts per batch: Ansible reads 0 or less as every host at once; write serial: 100% for that`);
}

/**
 * serial and max_fail_percentage may be templates of play vars and -e vars (not host vars: batches are
 * cut before any host runs), so one playbook serves a canary of 1 and a window of "25%".
 */
export function resolvePlaySettings(play: Play, extraVars: Vars): PlaySettings {
  const vars = new VarScope([{ kind: 'source', vars: play.vars }, { kind: 'source', vars: withoutSecrets(extraVars) }]);
  const serialRaw = Array.isArray(play.serial) ? play.serial.map((s) => render(play, 'serial', s, vars)) : render(play, 'serial', play.serial, vars);
  const serial = serialRaw === undefined || serialRaw === null || serialRaw === '' ? undefined : (serialRaw as SerialSpec);
  if (serial !== undefined) for (const item of Array.isArray(serial) ? serial : [serial]) checkSerialItem(play, item);
  const mfpRaw = render(play, 'max_fail_percentage', play.maxFailPercentage, vars);
  let maxFailPercentage: number | undefined;
  if (mfpRaw !== undefined && mfpRaw !== null && mfpRaw !== '') {
    maxFailPercentage = Number(mfpRaw);
    if (!Number.isFinite(maxFailPercentage) || maxFailPercentage < 0 || maxFailPercentage > 100) {
      throw new ConfigError({ ...play.source, message: `play '${play.name}': max_fail_percentage must be a number from 0 to 100, got '${String(mfpRaw)}'` });
    }
  }
  return { serial, maxFailPercentage };
}
