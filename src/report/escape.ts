import { sanitizeLine, sanitizeText } from './text.js';

/**
 * Escaping of host text for the report formats. Host text (names, messages, commands, file names)
 * is data: it never becomes markup, a link, a mention or a template in any output.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute value; escape sequences and control characters removed. */
export function escapeHtml(text: string): string {
  return sanitizeText(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

// The ASCII punctuation that makes Markdown syntax on GitHub inside a line: emphasis (* _), code (`),
// links and images ([ ]), HTML (< >), entities (&), table cells (|), strikethrough (~), issue
// references (#), mentions (@), math ($), and the backslash itself. Text never starts a line.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~@$&]/g;

/**
 * Text for one Markdown line or table cell: on one line, cleaned, each special character
 * backslash-escaped (CommonMark renders "\*" as "*"), and no autolinks (GitHub links "http://…"
 * and "www.…" in plain text; "http\://" and "www\." are not links and read the same).
 */
export function escapeMarkdown(text: string): string {
  return sanitizeLine(text.replace(/\s*[\r\n]+\s*/g, ' '))
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.');
}

/** Cuts text to at most `max` characters (code points), ending with '…' when something was cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
