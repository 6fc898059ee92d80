import { inspect } from 'node:util';

/** The few styles the reporters use; codes come from node's own table (util.inspect.colors). */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';

export type Paint = (style: Style | Style[], text: string) => string;

/** Returns a function that wraps text in ANSI styles, or returns it unchanged when color is off. */
export function createPaint(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => {
    let out = text;
    for (const s of Array.isArray(style) ? style : [style]) {
      const codes = inspect.colors[s];
      if (codes) out = `\u001b[${codes[0]}m${out}\u001b[${codes[1]}m`;
    }
    return out;
  };
}

// CSI / OSC escape sequences, then any other control character except tab.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Makes text that came from a host safe to print on one line of a terminal: escape sequences
 * are removed (a remote program must not drive the operator's terminal), control characters
 * become '?', tabs become spaces.
 */
export function sanitizeLine(text: string): string {
  return text.replace(ESCAPES, '').replace(/\t/g, ' ').replace(CONTROLS, '?');
}

/**
 * Like sanitizeLine for text of several lines (a step's message, a process's files): escape
 * sequences removed, control characters '?', tabs spaces; line breaks kept as '\n'.
 */
export function sanitizeText(text: string): string {
  return text.replace(/\r\n/g, '\n').split('\n').map(sanitizeLine).join('\n');
}

/** Splits output into sanitized lines, dropping trailing blank lines and '\r' line ends. */
export function splitLines(text: string | undefined): string[] {
  if (!text) return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((line) => {
    // A carriage return redraws the line (progress bars): keep what a terminal would show.
    const parts = line.split('\r').filter((part) => part !== '');
    return sanitizeLine(parts[parts.length - 1] ?? '');
  });
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines;
}

/** Number of terminal cells a plain string takes (one per code point: good enough for names). */
export function cellWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const SGR = /^\u001b\[[0-9;]*m/;

/**
 * Cuts a string to at most `width` cells, ending with '…' when something was cut. Color codes
 * (SGR sequences, as createPaint writes them) take no cells and are kept; a cut colored string
 * ends with a reset so the color does not leak into the next line.
 */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  if (cellWidth(plain) <= width) return text;
  let out = '';
  let used = 0;
  let rest = text;
  while (rest.length > 0 && used < width - 1) {
    const esc = SGR.exec(rest);
    if (esc) {
      out += esc[0];
      rest = rest.slice(esc[0].length);
      continue;
    }
    const ch = String.fromCodePoint(rest.codePointAt(0)!);
    out += ch;
    rest = rest.slice(ch.length);
    used++;
  }
  return `${out}…${plain.length === text.length ? '' : '\u001b[0m'}`;
}

/** Pads a plain string with spaces to `width` cells (left aligned, or right aligned numbers). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - cellWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

/** Formats a duration the way people read it in logs: 0.3s, 12.0s, 2m05s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}m${String(s).padStart(2, '0')}s`;
}

/** Lists names, cut after `max` with a count of the rest. */
export function listNames(names: readonly string[], max = 10): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} … (+${names.length - max} more)`;
}
