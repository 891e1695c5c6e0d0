import { Command, CommandRunner, Option } from 'nest-commander';
import { CliInputError, out, runCommand, withStore } from '../cli-context';
import { CliSettings } from '../cli.config';
import { parseInstant } from './as-of';
import { formatHistoryTable, ticketHistory } from './ticket-history';

interface HistoryOptions {
  asOf?: string;
  json?: boolean;
}

/** `ticket-history <id> [--as-of <time>] [--json]`: events and the state folded from them at that time. */
@Command({
  name: 'ticket-history',
  arguments: '<ticketId>',
  description:
    'Replay one ticket from the event store: its events and its state as of a time (table or JSON)',
})
export class TicketHistoryCommand extends CommandRunner {
  constructor(private readonly settings: CliSettings) {
    super();
  }

  async run([id]: string[], options: HistoryOptions = {}): Promise<void> {
    await runCommand(async () => {
      if (!id) throw new CliInputError('ticket id missing');
      const asOf = options.asOf === undefined ? null : parseInstant(options.asOf, '--as-of', 'end');
      const history = await withStore(this.settings.store(), (store) => ticketHistory(store, id, asOf));
      out(options.json ? JSON.stringify(history, null, 2) : formatHistoryTable(history));
    });
  }

  @Option({
    flags: '--as-of <time>',
    description: 'ISO-8601 instant, or YYYY-MM-DD (end of that day, Japan time); default: now',
  })
  parseAsOf(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print JSON instead of a table' })
  parseJson(): boolean {
    return true;
  }
}
