import type { CliIo } from './commands/settings';

/** One `pawline <name>` subcommand. Add a file under commands/ and one line in main.ts. */
export interface Command {
  /** One line for `pawline help`. */
  summary: string;
  usage: string;
  /** Returns the process exit code: 0 done, 1 failed, 2 bad usage. */
  run(argv: string[], io: CliIo): Promise<number>;
}

export type { CliIo };
