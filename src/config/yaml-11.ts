import type { ScalarTag, Tags } from 'yaml';

/**
 * The plain-scalar types Ansible's YAML loader gives (PyYAML's YAML 1.1 resolver, which ansible-core
 * uses): booleans are yes/no/true/false/on/off in three spellings each, and NOT y/n (the YAML 1.1
 * spec lists them; PyYAML does not); 0644 is octal, 1_000 is 1000, 12:30 is sexagesimal (750);
 * a float needs a dot (1e3 is a string, 1.0e+3 a float); dates and timestamps become text in the
 * form Ansible prints them (isoformat). The regular expressions are PyYAML 6.0's.
 */

const boolRe = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const intRe = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const floatRe = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const timestampRe = /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const timestampParts = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

/** Sign and body of a number with its underscores removed, as PyYAML's constructors read it. */
function signAndBody(text: string): { sign: 1 | -1; body: string } {
  const t = text.replace(/_/g, '');
  if (t[0] === '-') return { sign: -1, body: t.slice(1) };
  return { sign: 1, body: t[0] === '+' ? t.slice(1) : t };
}

/** a:b:c in base 60, as PyYAML's sexagesimal numbers. */
function base60(body: string): number {
  return body.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

function resolveInt(text: string, onError: (message: string) => void): number {
  const { sign, body } = signAndBody(text);
  let n: bigint;
  if (body.includes(':')) return sign * base60(body) || 0;
  if (body.startsWith('0b')) n = BigInt(`0b${body.slice(2) || '0'}`);
  else if (body.startsWith('0x')) n = BigInt(`0x${body.slice(2) || '0'}`);
  else if (body.length > 1 && body.startsWith('0')) n = BigInt(`0o${body.slice(1)}`);
  else n = BigInt(body);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    onError(`the integer ${text} is too large: remedy keeps integers up to ${Number.MAX_SAFE_INTEGER} exactly (quote it to keep it as text)`);
  }
  return sign * Number(n) || 0; // no -0: Python's int has none
}

function resolveFloat(text: string): number {
  const { sign, body } = signAndBody(text);
  const lower = body.toLowerCase();
  if (lower === '.inf') return sign * Infinity;
  if (lower === '.nan') return NaN;
  if (body.includes(':')) return sign * base60(body);
  return sign * Number(body.endsWith('.') ? `${body}0` : body.replace(/\.(?=[eE])/, '.0'));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A date or timestamp as Python's isoformat() prints PyYAML's date/datetime (what Ansible's JSON shows). */
function resolveTimestamp(text: string, onError: (message: string) => void): string {
  const m = timestampParts.exec(text) as RegExpExecArray;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || check.getUTCDate() !== day || year < 1) {
    onError(`'${text}' is read as a date in YAML 1.1 but is not a valid date (quote it to keep it as text)`);
    return text;
  }
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (m[4] === undefined) return date;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) {
    onError(`'${text}' is read as a timestamp in YAML 1.1 but is not a valid time (quote it to keep it as text)`);
    return text;
  }
  const micro = m[7] ? m[7].slice(0, 6).padEnd(6, '0') : '';
  let out = `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${micro && Number(micro) !== 0 ? `.${micro}` : ''}`;
  if (m[9] !== undefined) {
    const offset = Number(m[10]) * 60 + Number(m[11] ?? 0);
    out += offset === 0 ? '+00:00' : `${m[9]}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`;
  } else if (m[8] === 'Z') out += '+00:00';
  return out;
}

const tag = (name: string, test: RegExp, resolve: ScalarTag['resolve'], identify: (v: unknown) => boolean): ScalarTag => ({
  tag: `tag:yaml.org,2002:${name}`,
  default: true,
  test,
  resolve,
  identify,
});

const ansibleScalars: ScalarTag[] = [
  tag('bool', boolRe, (s) => /^(?:yes|true|on)$/i.test(s), (v) => typeof v === 'boolean'),
  tag('int', intRe, (s, onError) => resolveInt(s, onError), (v) => Number.isInteger(v)),
  tag('float', floatRe, (s) => resolveFloat(s), (v) => typeof v === 'number'),
  tag('timestamp', timestampRe, (s, onError) => resolveTimestamp(s, onError), () => false),
];

const replaced = new Set(['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:timestamp']);

/** For parseDocument's customTags with schema 'yaml-1.1': that schema's tags with Ansible's scalars. */
export function ansibleYamlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || !replaced.has(t.tag));
  // Scalars first: the first tag whose test matches a plain scalar decides its type.
  return [...ansibleScalars, ...kept];
}
