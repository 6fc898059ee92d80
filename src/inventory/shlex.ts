/**
 * Python's shlex.split(line, comments=True) (POSIX mode), which Ansible's INI inventory uses to
 * split a host line into the host and its key=value vars: quotes ' and " are removed, a backslash
 * escapes the next character (inside "…" only before " and \), and # starts a comment even in
 * the middle of a word ("a=x#y" is "a=x").
 */

export interface ShlexToken {
  text: string;
  /** Index in the line where the token starts (for column numbers). */
  start: number;
}

export class ShlexError extends Error {}

const whitespace = ' \t\r\n';

export function shlexSplit(line: string): ShlexToken[] {
  const tokens: ShlexToken[] = [];
  let state: ' ' | 'a' | "'" | '"' | '\\' = ' ';
  let escaped = 'a' as 'a' | '"';
  let token = '';
  let quoted = false;
  let start = 0;
  const emit = () => {
    if (token !== '' || quoted) tokens.push({ text: token, start });
    token = '';
    quoted = false;
  };
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? (line[i] as string) : '';
    if (state === ' ' || state === 'a') {
      if (c === '') break;
      if (whitespace.includes(c)) {
        if (state === 'a') emit();
        state = ' ';
      } else if (c === '#') {
        if (state === 'a') emit();
        state = ' ';
        break; // the rest of the line is a comment
      } else {
        if (state === ' ') start = i;
        if (c === "'" || c === '"') {
          state = c;
          quoted = true;
        } else if (c === '\\') {
          escaped = 'a';
          state = '\\';
        } else {
          token += c;
          state = 'a';
        }
      }
    } else if (state === "'" || state === '"') {
      quoted = true;
      if (c === '') throw new ShlexError('No closing quotation');
      if (c === state) state = 'a';
      else if (c === '\\' && state === '"') {
        escaped = state;
        state = '\\';
      } else token += c;
    } else {
      if (c === '') throw new ShlexError('No escaped character');
      // Inside "…" a backslash escapes only " and \; before anything else it stays.
      if (escaped === '"' && c !== '"' && c !== '\\') token += '\\';
      token += c;
      state = escaped;
    }
  }
  if (state === 'a') emit();
  return tokens;
}
