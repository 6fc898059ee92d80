/** The tokens of a Python expression, as far as ast.literal_eval can use them (see python-literal.ts). */

/** A literal remedy cannot keep (a complex number, a set…): an error for the user. */
export class LiteralError extends Error {}

/** The text is not a Python literal: the value stays text. */
export class NotLiteral extends Error {}

export type Token =
  | { kind: 'num'; value: number; imaginary: boolean }
  | { kind: 'str'; value: string; bytes: boolean }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'end' };

const intRe = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0+(?:_?0)*)/;
const digits = '[0-9](?:_?[0-9])*';
const floatRe = new RegExp(`^(?:(?:${digits})?\\.${digits}(?:[eE][-+]?${digits})?|${digits}\\.(?:[eE][-+]?${digits})?|${digits}[eE][-+]?${digits})`);
const stringStart = /^([rRuUbBfF]|[rR][bB]|[bB][rR]|[fF][rR]|[rR][fF])?('''|"""|'|")/;
const simpleEscapes: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

function readEscapes(body: string, bytes: boolean): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      if (bytes && c.charCodeAt(0) > 0x7f) throw new NotLiteral(); // bytes can only contain ASCII
      out += c;
      continue;
    }
    const e = body[i + 1] ?? '';
    i++;
    if (e in simpleEscapes) out += simpleEscapes[e];
    else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i)) as RegExpExecArray;
      out += String.fromCodePoint(parseInt(m[0], 8));
      i += m[0].length - 1;
    } else if (e === 'x' || (!bytes && (e === 'u' || e === 'U'))) {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new NotLiteral();
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new NotLiteral();
      out += String.fromCodePoint(cp);
      i += n;
    } else if (e === 'N' && !bytes) throw new LiteralError('\\N{…} escapes (Unicode character names) are not supported');
    else out += `\\${e}`; // Python keeps an unknown escape as written
  }
  return out;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ws = /^(?:[ \t\f]+|\\\r?\n|#[^\r\n]*)/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    if (/^[\r\n]/.test(rest)) {
      if (depth === 0 && rest.replace(/^\s+/, '') !== '') throw new NotLiteral(); // a second line
      i += 1;
      continue;
    }
    const str = stringStart.exec(rest);
    if (str) {
      const prefix = (str[1] ?? '').toLowerCase();
      const quote = str[2] as string;
      let j = str[0].length;
      let body = '';
      for (;;) {
        if (j >= rest.length) throw new NotLiteral(); // unterminated
        if (rest.startsWith(quote, j)) break;
        const c = rest[j] as string;
        if (quote.length === 1 && (c === '\n' || c === '\r')) throw new NotLiteral();
        if (c === '\\') {
          body += rest.slice(j, j + 2);
          j += 2;
        } else {
          body += c;
          j += 1;
        }
      }
      i += j + quote.length;
      if (prefix.includes('f')) throw new NotLiteral(); // an f-string is no literal
      const bytes = prefix.includes('b');
      tokens.push({ kind: 'str', value: prefix.includes('r') ? body : readEscapes(body, bytes), bytes });
      continue;
    }
    const number = floatRe.exec(rest) ?? intRe.exec(rest);
    if (number && /^[0-9.]/.test(rest) && !(rest[0] === '.' && !/^\.[0-9]/.test(rest))) {
      let t = number[0];
      const after = rest.slice(t.length);
      const imaginary = /^[jJ]/.test(after);
      if (/^[0-9a-zA-Z_.]/.test(imaginary ? after.slice(1) : after)) throw new NotLiteral(); // 010, 1x, 1.2.3
      i += t.length + (imaginary ? 1 : 0);
      t = t.replace(/_/g, '');
      const isFloat = floatRe.test(number[0]) && !/^0[xXoObB]/.test(t);
      tokens.push({ kind: 'num', value: isFloat ? Number(t) : integer(t), imaginary });
      continue;
    }
    const name = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    const op = /^(?:\.\.\.|[-+()[\]{},:])/.exec(rest);
    if (!op) throw new NotLiteral();
    if ('([{'.includes(op[0])) depth++;
    if (')]}'.includes(op[0])) depth--;
    tokens.push({ kind: 'op', value: op[0] });
    i += op[0].length;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

function integer(text: string): number {
  const big = /^0[oO]/.test(text) ? BigInt(`0o${text.slice(2)}`) : BigInt(text);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new LiteralError(`the integer ${text} is too large: remedy keeps integers up to ${Number.MAX_SAFE_INTEGER} exactly`);
  return Number(big);
}

