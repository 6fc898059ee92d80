/**
 * The options being collected for one host while its config is walked: first value wins, as in
 * OpenSSH; every value remembers the file and line it came from (for errors and for showing it).
 */
import type { JumpSpec } from './jump.js';

export interface Where {
  file: string;
  line: number;
}

export interface OptionValue extends Where {
  /** The value as written (multistate values lowercased). */
  value: string;
  /** For keywords that take several words (known hosts files). */
  words?: string[];
}

export interface IdentityEntry extends Where {
  path: string;
  /** From the user's configuration or the command line (OpenSSH keeps duplicates apart by this). */
  userProvided: boolean;
}

export class OptionSet {
  private readonly values = new Map<string, OptionValue>();
  readonly identityFiles: IdentityEntry[] = [];
  readonly certificateFiles: IdentityEntry[] = [];
  jump: (JumpSpec & Where) | undefined;

  get(option: string): OptionValue | undefined {
    return this.values.get(option);
  }

  has(option: string): boolean {
    return this.values.has(option);
  }

  /** Sets the option unless it is set already. */
  setFirst(option: string, value: OptionValue): void {
    if (!this.values.has(option)) this.values.set(option, value);
  }

  /** Replaces a value (HostName before the final pass, as ssh does). */
  replace(option: string, value: OptionValue): void {
    this.values.set(option, value);
  }

  /** Adds an identity or certificate file unless the same path came from the same kind of source. */
  addFile(list: IdentityEntry[], entry: IdentityEntry): void {
    if (!list.some((e) => e.path === entry.path && e.userProvided === entry.userProvided)) list.push(entry);
  }

  /** Every option set, for showing where each came from. */
  entries(): Array<[string, OptionValue]> {
    return [...this.values.entries()];
  }
}
