/** Every error remedy raises on purpose carries a code; anything else is a bug (exit 1). */
export type ErrorCode =
  | 'CONFIG' // a playbook, inventory or schema problem (exit 5)
  | 'USAGE' // bad flags or arguments (exit 5)
  | 'INTERRUPTED' // the run was stopped by a signal (exit 130)
  | 'UNREACHABLE' // a host could not be reached; the engine turns it into a result value
  | 'INTERNAL'; // a bug in remedy (exit 1)

export class RemedyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where in a file something was found. line and column are 1-based. */
export interface SourceRef {
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer inside the document, e.g. /0/tasks/2/command */
  pointer?: string;
}

/** One problem in one file. */
export interface ConfigProblem extends SourceRef {
  message: string;
}

/** A user's text quoted in a message, cut when long (a 100,000-character --limit is not repeated whole). */
export function quoted(text: string, max = 160): string {
  return text.length <= max ? `'${text}'` : `'${text.slice(0, max)}…' (${text.length} characters)`;
}

/** Formats "file:line:column: message" (line/column omitted when unknown). */
export function formatProblem(p: ConfigProblem): string {
  const where = [p.file, p.line, p.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${p.message}`;
}

/** A configuration error: one or several problems, each with file, line, column and JSON pointer. */
export class ConfigError extends RemedyError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem | ConfigProblem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super('CONFIG', list.map(formatProblem).join('\n'));
    this.problems = list;
  }
  get file(): string | undefined { return this.problems[0]?.file; }
  get line(): number | undefined { return this.problems[0]?.line; }
  get column(): number | undefined { return this.problems[0]?.column; }
  get pointer(): string | undefined { return this.problems[0]?.pointer; }
}

export class UsageError extends RemedyError {
  constructor(message: string) { super('USAGE', message); }
}

/** Why a host could not be reached. */
export type UnreachableKind =
  | 'connection-refused'
  | 'timeout'
  | 'name-not-found'
  | 'auth-failed'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'jump-failed'
  | 'connection-lost'
  | 'other';

/** Thrown by a transport only; the engine catches it and records an 'unreachable' result value. */
export class UnreachableError extends RemedyError {
  readonly kind: UnreachableKind;
  readonly host: string;
  constructor(host: string, kind: UnreachableKind, message: string, options?: { cause?: unknown }) {
    super('UNREACHABLE', message, options);
    this.kind = kind;
    this.host = host;
  }
}

/** An error in an expression or template, raised with the position inside the expression. */
export class ExpressionError extends RemedyError {
  readonly expression: string;
  readonly offset: number | undefined;
  constructor(message: string, expression: string, offset?: number) {
    super('CONFIG', message);
    this.expression = expression;
    this.offset = offset;
  }
}
