import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { configOrExit } from '@app/config';
import { EXIT_BAD_INPUT, tolerateClosedStdout } from './cli-context';
import { parseCliSettings } from './cli.config';
import { CliModule } from './cli.module';

/**
 * The name help and errors show: how the README calls the CLI. Commander takes it from the script's file name
 * (`main`), so the script path it reads is set to it.
 */
export const PROGRAM_NAME = 'npm run cli --';

/** `npm run cli -- <command> [options]`; `npm run cli -- --help` lists the commands. See apps/cli/README.md. */
async function main(): Promise<void> {
  tolerateClosedStdout();
  // Every variable, parsed before any command runs: a bad one is one line each and exit 2 (bad input).
  const settings = configOrExit(() => parseCliSettings(process.env), EXIT_BAD_INPUT);
  process.argv[1] = PROGRAM_NAME;
  await CommandFactory.run(CliModule.forRoot(settings), {
    logger: ['error', 'warn'],
    cliName: 'ipro-cli',
    errorHandler: (error) => {
      // commander's own exits (--help, unknown command/option): keep its exit code, 0 for help.
      const code = (error as { exitCode?: number }).exitCode;
      process.exitCode = code === undefined ? 2 : code;
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
