import { Command, CommandRunner, Option } from 'nest-commander';
import {
  cliConfigFromEnv,
  EXIT_PROBLEM_FOUND,
  NotApplicableToStoreError,
  out,
  runCommand,
  withStore,
} from '../cli-context';

interface VerifyOptions {
  stream?: string;
}

/**
 * `verify [--stream <name>]`: recomputes every stream's sha256 hash chain from the stored events and names
 * the first broken event. Exit 0 intact, 1 broken (tampered row, missing revision), 2 bad usage, 4 refused:
 * EVENTSTORE_URL is set (KurrentDB), where this project stores no hash chain yet.
 */
@Command({
  name: 'verify',
  description:
    'Recompute the per-stream sha256 hash chains of the event store; name the first broken event (exit 1)',
})
export class VerifyCommand extends CommandRunner {
  async run(_params: string[], options: VerifyOptions = {}): Promise<void> {
    await runCommand(() => {
      // Checking the PostgreSQL schema while the events live in KurrentDB would print "OK" about a store
      // nobody writes: a tamper-evidence check must refuse rather than silently check the wrong store.
      if (process.env['EVENTSTORE_URL'])
        throw new NotApplicableToStoreError(
          'EVENTSTORE_URL is set: the events are in EventStoreDB/KurrentDB, and this project stores no hash ' +
            'chain there yet, so they cannot be verified. The PostgreSQL event store was NOT checked.',
        );
      return withStore(cliConfigFromEnv(), async (store) => {
        const broken = options.stream
          ? await store.verifyStreamChain(options.stream)
          : await store.verifyAll();
        const counted = await store.pool.query<{ events: string; streams: string }>(
          `SELECT count(*) AS events, count(DISTINCT stream) AS streams FROM "${store.schema}".events
            ${options.stream ? 'WHERE stream = $1' : ''}`,
          options.stream ? [options.stream] : [],
        );
        const { events = '0', streams = '0' } = counted.rows[0] ?? {};
        if (!broken) {
          out(
            `OK: ${events} events in ${streams} stream(s), every hash chain intact (schema ${store.schema})`,
          );
          return 0;
        }
        const e = broken.event;
        out(`BROKEN: hash chain broken (${broken.reason})`);
        out(`  stream:          ${e.stream}`);
        out(`  revision:        ${e.revision}`);
        out(`  global position: ${e.globalPosition}`);
        out(`  event:           ${e.type} ${e.id} recorded ${e.recordedAt}`);
        out(`  expected hash:   ${broken.expectedHash}`);
        out(`  stored hash:     ${e.hash}`);
        out(
          broken.reason === 'hash-mismatch'
            ? '  The stored content or hash of this event was changed after it was recorded (earlier events verify).'
            : '  A revision is missing before this event: an event was deleted.',
        );
        return EXIT_PROBLEM_FOUND;
      });
    });
  }

  @Option({ flags: '--stream <name>', description: 'verify one stream only (e.g. ticket-<uuid>)' })
  parseStream(value: string): string {
    return value;
  }
}
