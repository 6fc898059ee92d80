/** One interface for every way of reaching a host: connect, exec, put, close. */

export interface ExecRequest {
  /** Either argv (run without a shell, each item quoted by the transport) or a POSIX sh script. */
  argv?: string[];
  script?: string;
  stdin?: string | Buffer;
  env?: Record<string, string>;
  /** Run as another user through sudo (ConnectionSpec.become / becomeUser by default). */
  become?: boolean;
  becomeUser?: string;
  /** Milliseconds; on expiry the remote process group is ended and timedOut is set. */
  timeoutMs?: number;
  /** Aborting ends the remote command as a timeout does (its process group), without setting timedOut. */
  signal?: AbortSignal;
  /** Bytes kept of stdout and of stderr each (default 1 MiB); the rest is dropped and truncated set. */
  maxOutputBytes?: number;
  /** Called with each piece of stdout as it arrives (it is also collected in the result). */
  onStdout?: (chunk: string) => void;
  /**
   * Keep stdin open after `stdin` is sent, until the command ends, is aborted or the connection
   * closes: a command that waits for the end of its input then lives as long as the connection
   * (the host lock is held that way).
   */
  keepStdinOpen?: boolean;
  /** With keepStdinOpen: aborting this closes the command's stdin, so that a command waiting for its end finishes by itself. */
  endStdin?: AbortSignal;
}

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  truncated: boolean;
}

export interface Transport {
  readonly host: string;
  /**
   * Throws UnreachableError (with its kind) when the host cannot be reached. Aborting `signal` ends a
   * handshake still in progress (nothing has run on the host yet): UnreachableError('other').
   */
  connect(opts?: { signal?: AbortSignal }): Promise<void>;
  /** Throws UnreachableError('connection-lost') when the connection drops during the command. */
  exec(req: ExecRequest): Promise<ExecResult>;
  put(path: string, content: string | Buffer, mode?: number): Promise<void>;
  close(): Promise<void>;
  /** Optional: drop the connection and connect again with backoff, e.g. after a reboot (SSH only). */
  reconnect?(opts?: { timeoutMs?: number; initialDelayMs?: number; maxDelayMs?: number; signal?: AbortSignal }): Promise<void>;
}

export { shellJoin, shellQuote } from '../model/shell-quote.js';
