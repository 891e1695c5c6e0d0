import { InvalidConfigurationError } from './parse-environment';

/**
 * Exit code of a process refused at start for its configuration: 78, EX_CONFIG of sysexits.h, so a supervisor
 * (systemd's RestartPreventExitStatus, a Kubernetes alert) can tell "fix the configuration" from a crash.
 */
export const EXIT_CONFIG = 78;

/**
 * Runs a process's configuration parser before anything else. On bad configuration it writes one line per
 * bad variable to stderr (`invalid configuration: PORT: expected …, got "abc"`) and exits with `exitCode`:
 * nothing has connected, migrated or listened yet. Any other error is not about configuration and propagates.
 */
export function configOrExit<C>(
  parse: () => C,
  exitCode = EXIT_CONFIG,
  stderr: { write(line: string): unknown } = process.stderr,
): C {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    for (const problem of error.problems) stderr.write(`invalid configuration: ${problem}\n`);
    process.exit(exitCode);
  }
}
