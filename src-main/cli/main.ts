/**
 * `npm run pawline -- <command> ...`: the desk's command line, for IT people and for checks.
 * Each command lives in commands/<name>.ts and is registered in COMMANDS below.
 */
import { importCommand, IMPORT_USAGE } from './commands/import';
import { planCommand, PLAN_USAGE } from './commands/plan';
import { runCommand, RUN_USAGE } from './commands/run';
import { processIo, settingsCommand, SETTINGS_USAGE } from './commands/settings';
import { statsCommand, STATS_USAGE } from './commands/stats';
import type { CliIo, Command } from './registry';

export const COMMANDS: Record<string, Command> = {
  import: { summary: 'Import PIMS export files (a folder or one file) into a data folder.', usage: IMPORT_USAGE, run: importCommand },
  stats: { summary: "Count what a data folder holds, under EXPECTED.json's key names.", usage: STATS_USAGE, run: statsCommand },
  plan: { summary: 'Plan health reminders and appointment messages.', usage: PLAN_USAGE, run: planCommand },
  run: { summary: 'The daily loop headless: import, plan, approve, send, poll replies and statuses.', usage: RUN_USAGE, run: runCommand },
  settings: { summary: 'Show or change settings (clinic, Twilio, SMTP, export folder).', usage: SETTINGS_USAGE, run: settingsCommand },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: pawline <command> [options]   (npm run pawline -- <command> ...)\n\nCommands:\n${lines.join('\n')}\n\nRun "pawline <command> --help" for a command's options.\n`;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
    io.out(topic ? topic.usage : usage());
    return 0;
  }
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  return cmd.run(rest, io);
}

const invokedDirectly = process.argv[1] && /[\\/]cli[\\/]main\.(ts|js|cjs|mjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
