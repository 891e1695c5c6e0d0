import { Command } from 'nest-commander';
import { CliInputError, runCommand, withStore } from '../cli-context';
import { ConfiguredCommand } from '../configured-command';
import { CommandOptions } from '../command-options';
import { parseInstant } from './as-of';
import { type AuditSelection, exportAudit, withOutput } from './export-audit';
import { ticketStreamOf } from './ticket-history';

interface ExportOptions {
  ticket?: string;
  from?: string;
  to?: string;
  out?: string;
}

export const HASH_RECIPE = `Each line: {stream, revision, position, id, type, schemaVersion, data, metadata, recordedAt, hash, prevHash}.
Hash recipe (per stream, revisions 0, 1, 2, ...; prevHash is "" at revision 0):
  hash = sha256_hex( prevHash + "\\n" + JSON.stringify(stream) + "\\n" + revision + "\\n"
                     + canonicalJson([type, schemaVersion, data, metadata]) )
  canonicalJson: JSON without whitespace, object keys sorted by UTF-16 code units, strings and numbers as
  JSON.stringify writes them. The text is hashed as UTF-8. A line checks on its own (prevHash is given);
  a whole stream checks when each line's prevHash equals the previous line's hash.`;

/** `export-audit --ticket <id> | --from <t> --to <t> [--out file]`: JSON Lines with the chain hashes. */
@Command({
  name: 'export-audit',
  description: `Export events as JSON Lines with their chain hashes, for checking elsewhere.\n${HASH_RECIPE}`,
})
@CommandOptions(
  { flags: '--ticket <id>', description: 'one ticket (id or ticket-<id> stream)' },
  { flags: '--from <time>', description: 'recorded at or after (ISO instant or YYYY-MM-DD, Japan time)' },
  { flags: '--to <time>', description: 'recorded at or before (ISO instant or YYYY-MM-DD = end of day)' },
  { flags: '--out <file>', description: 'write to this file instead of stdout' },
)
export class ExportAuditCommand extends ConfiguredCommand {
  async run(_params: string[], options: ExportOptions = {}): Promise<void> {
    await runCommand(async () => {
      const selection = selectionOf(options);
      const count = await withStore(this.settings.store(), (store) =>
        withOutput(options.out, (sink) => exportAudit(store, selection, sink)),
      );
      process.stderr.write(`exported ${count} event(s)${options.out ? ` to ${options.out}` : ''}\n`);
    });
  }
}

function selectionOf(o: ExportOptions): AuditSelection {
  if (o.ticket !== undefined) {
    if (o.from !== undefined || o.to !== undefined)
      throw new CliInputError('--ticket cannot be combined with --from/--to');
    return { kind: 'ticket', stream: ticketStreamOf(o.ticket).stream };
  }
  if (o.from === undefined || o.to === undefined)
    throw new CliInputError('give --ticket <id>, or both --from <time> and --to <time>');
  const from = parseInstant(o.from, '--from', 'start');
  const to = parseInstant(o.to, '--to', 'end');
  if (from > to) throw new CliInputError(`--from (${from}) is after --to (${to})`);
  return { kind: 'period', from, to };
}
