import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';

/** `npm run cli -- <command> [options]`; `npm run cli -- --help` lists the commands. See apps/cli/README.md. */
async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
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
