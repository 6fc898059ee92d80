import { UsageError } from '../model/errors.js';

/**
 * Splits a command string into words the way POSIX sh would for quoting only:
 * whitespace separates words, '…' is literal, "…" allows \" \\ \$ \`, a backslash escapes the next
 * character. Nothing is expanded: no variables, globs, pipes or redirections (use `shell` for those).
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new UsageError(`unterminated ' in command: ${text}`);
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i++;
      for (; i < text.length && text[i] !== '"'; i++) {
        const d = text[i] as string;
        if (d === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) word += text[++i];
        else word += d;
      }
      if (i >= text.length) throw new UsageError(`unterminated " in command: ${text}`);
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
