/**
 * Splitting ssh_config lines as OpenSSH 9.2 does (readconf.c, misc.c): the keyword is cut by
 * strdelim (whitespace, one `=`, or a double-quoted word), the arguments by argv_split (double and
 * single quotes, `\` escapes, `#` starting a word ends the line). ProxyCommand, ProxyJump and Match
 * read the raw rest of the line instead, so it is kept too.
 */

/** One line of a config file, split; `args` is null when its quotes do not close. */
export interface ConfigLine {
  file: string;
  line: number;
  /** Lowercased. */
  keyword: string;
  /** The text after the keyword and its separator (what ProxyCommand, ProxyJump and Match read). */
  rest: string;
  args: string[] | null;
}

const WHITESPACE = ' \t\r\n';

function spanOf(s: string, from: number, chars: string): number {
  let i = from;
  while (i < s.length && chars.includes(s[i] as string)) i++;
  return i - from;
}

/**
 * OpenSSH's strdelim: the next word of `s` and what is left (null when nothing is left). The word is
 * null when a double quote does not close. Splits on whitespace or one `=`.
 */
export function strdelim(s: string | null): { word: string | null; rest: string | null } {
  if (s === null) return { word: null, rest: null };
  let at = -1;
  for (let i = 0; i < s.length; i++) {
    if (`${WHITESPACE}"=`.includes(s[i] as string)) {
      at = i;
      break;
    }
  }
  if (at < 0) return { word: s, rest: null };
  if (s[at] === '"') {
    const unquoted = s.slice(0, at) + s.slice(at + 1);
    const close = unquoted.indexOf('"', at);
    if (close < 0) return { word: null, rest: null };
    const after = close + 1 + spanOf(unquoted, close + 1, WHITESPACE);
    return { word: unquoted.slice(0, close), rest: unquoted.slice(after) };
  }
  const equals = s[at] === '=';
  let next = at + 1 + spanOf(s, at + 1, WHITESPACE);
  if (!equals && s[next] === '=') next = next + 1 + spanOf(s, next + 1, WHITESPACE);
  return { word: s.slice(0, at), rest: s.slice(next) };
}

/** OpenSSH's argv_split: words with quotes removed and escapes resolved; null when a quote does not close. */
export function argvSplit(s: string, terminateOnComment: boolean): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (terminateOnComment && c === '#') break;
    let quote = '';
    let word = '';
    for (; i < s.length; i++) {
      const ch = s[i] as string;
      const next = s[i + 1];
      if (ch === '\\') {
        if (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' ')) {
          i++;
          word += next;
        } else {
          word += ch;
        }
      } else if (quote === '' && (ch === ' ' || ch === '\t')) {
        break;
      } else if (quote === '' && (ch === '"' || ch === "'")) {
        quote = ch;
      } else if (quote !== '' && ch === quote) {
        quote = '';
      } else {
        word += ch;
      }
    }
    if (quote !== '') return null;
    out.push(word);
  }
  return out;
}

/**
 * Splits one line; undefined for blank and comment lines, `{ missing }` when a keyword has no
 * argument (an error in OpenSSH).
 */
export function lexLine(text: string, file: string, line: number): ConfigLine | { missing: string; file: string; line: number } | undefined {
  // trailing whitespace (and a form feed) go, but never the first character, as in OpenSSH
  let end = text.length;
  while (end > 1 && `${WHITESPACE}\f`.includes(text[end - 1] as string)) end--;
  if (text.length === 0) return undefined;
  let { word, rest } = strdelim(text.slice(0, end));
  if (word === '') ({ word, rest } = strdelim(rest));
  if (word === null || word === '' || word.startsWith('\n') || word.startsWith('#')) return undefined;
  const keyword = word.toLowerCase();
  const body = rest === null ? '' : rest.slice(spanOf(rest, 0, WHITESPACE));
  if (body === '') return { missing: keyword, file, line };
  return { file, line, keyword, rest: body, args: argvSplit(body, true) };
}

/** Splits a whole file into lines (blank and comment lines dropped). */
export function lexConfig(text: string, file: string): Array<ConfigLine | { missing: string; file: string; line: number }> {
  const out: Array<ConfigLine | { missing: string; file: string; line: number }> = [];
  text.split('\n').forEach((raw, i) => {
    const lexed = lexLine(raw, file, i + 1);
    if (lexed) out.push(lexed);
  });
  return out;
}
