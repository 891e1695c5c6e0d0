import { PostgresEventStore } from '@app/event-store';
import { rebuildAside } from '@app/read-models';
import { SingleBar } from 'cli-progress';
import { Command } from 'nest-commander';
import { chooseProjections, out, runCommand, withStore } from '../cli-context';
import { ConfiguredCommand } from '../configured-command';

/**
 * `rebuild-projections [name]`: rebuilds read models from the event store WITHOUT taking the api down —
 * built aside in a shadow schema, swapped in with one short transaction; a running api picks the new tables
 * up at its next batch (design: libs/read-models/src/runner/rebuild-aside.ts).
 */
@Command({
  name: 'rebuild-projections',
  arguments: '[name]',
  description:
    'Rebuild read models (tickets, reference, or all) aside in a shadow schema and swap them in; the api keeps serving',
})
export class RebuildProjectionsCommand extends ConfiguredCommand {
  async run([name]: string[]): Promise<void> {
    await runCommand(async () => {
      const config = this.settings.store();
      const projections = chooseProjections(name);
      await withStore(config, async (store) => {
        // The bar's total: PostgreSQL counts its rows; KurrentDB has no cheap count of $all, so the total
        // follows the events read (the bar then shows progress without an ETA).
        const total =
          store instanceof PostgresEventStore
            ? Number(
                (await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${store.schema}".events`))
                  .rows[0]?.n ?? 0,
              )
            : 0;
        const bar = new SingleBar({
          format:
            ' {phase} |{bar}| {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}',
          hideCursor: true,
          etaBuffer: 20,
        });
        const t0 = performance.now();
        bar.start(Math.max(total, 1), 0, { phase: 'replay ', rate: 0 });
        const result = await rebuildAside({
          url: config.databaseUrl,
          liveSchema: config.readModelSchema,
          store,
          projections,
          onProgress: (p) => {
            const seconds = (performance.now() - t0) / 1000;
            // Events appended during the rebuild make the log longer than the count taken at the start.
            if (p.eventsRead > total) bar.setTotal(p.eventsRead);
            bar.update(p.eventsRead, {
              phase: p.phase.padEnd(7),
              rate: Math.round(p.eventsRead / Math.max(seconds, 1e-3)),
            });
          },
        });
        bar.stop();
        if (result.leftoversDropped.length > 0)
          out(`dropped schemas left by an interrupted rebuild: ${result.leftoversDropped.join(', ')}`);
        out(
          `rebuilt ${result.projections.join(', ')} from ${result.eventsRead} events in ${result.seconds.toFixed(1)} s ` +
            `(${Math.round(result.eventsRead / Math.max(result.seconds, 1e-3))} events/s); swapped into schema ` +
            `${config.readModelSchema} at position ${result.position}`,
        );
      });
    });
  }
}
