import { Command } from 'nest-commander';
import { CliInputError, out, runCommand, withStore } from '../cli-context';
import { ConfiguredCommand } from '../configured-command';
import { CommandOptions } from '../command-options';
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
@CommandOptions(
  {
    flags: '--as-of <time>',
    description: 'ISO-8601 instant, or YYYY-MM-DD (end of that day, Japan time); default: now',
  },
  { flags: '--json', description: 'print JSON instead of a table' },
)
export class TicketHistoryCommand extends ConfiguredCommand {
  async run([id]: string[], options: HistoryOptions = {}): Promise<void> {
    await runCommand(async () => {
      if (!id) throw new CliInputError('ticket id missing');
      const asOf = options.asOf === undefined ? null : parseInstant(options.asOf, '--as-of', 'end');
      const history = await withStore(this.settings.store(), (store) => ticketHistory(store, id, asOf));
      out(options.json ? JSON.stringify(history, null, 2) : formatHistoryTable(history));
    });
  }
}
