import { verifyProjections } from '@app/read-models';
import { Command } from 'nest-commander';
import { chooseProjections, EXIT_PROBLEM_FOUND, out, runCommand, withStore } from '../cli-context';
import { ConfiguredCommand } from '../configured-command';
import { CommandOptions } from '../command-options';

interface VerifyProjectionsOptions {
  json?: boolean;
  max?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The differing leaves of two column values, each with its full path (`state.assessment.billing`) and both
 * values in full: a JSON column (the ticket state) is compared field by field, so the line names the field
 * that differs instead of cutting a long document before it. Arrays are compared element by element.
 */
export function fieldDifferences(
  path: string,
  live: unknown,
  replayed: unknown,
): { path: string; live: unknown; replayed: unknown }[] {
  if (isObject(live) && isObject(replayed))
    return [...new Set([...Object.keys(live), ...Object.keys(replayed)])]
      .sort()
      .flatMap((k) => fieldDifferences(`${path}.${k}`, live[k], replayed[k]));
  if (Array.isArray(live) && Array.isArray(replayed))
    return Array.from({ length: Math.max(live.length, replayed.length) }, (_, i) =>
      fieldDifferences(`${path}[${i}]`, live[i], replayed[i]),
    ).flat();
  return JSON.stringify(live) === JSON.stringify(replayed) ? [] : [{ path, live, replayed }];
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));

/** `verify-projections [name]`: replays the events aside and diffs them with the live tables; exit 1 on drift. */
@Command({
  name: 'verify-projections',
  arguments: '[name]',
  description:
    'Replay the events aside and compare with the live read-model tables; exit 1 and print the first differences',
})
@CommandOptions(
  { flags: '--json', description: 'print the comparison as JSON' },
  {
    flags: '--max <n>',
    description: 'differences shown per table (default 5)',
    parse: (text) => Math.max(1, Number.parseInt(text, 10) || 5),
  },
)
export class VerifyProjectionsCommand extends ConfiguredCommand {
  async run([name]: string[], options: VerifyProjectionsOptions = {}): Promise<void> {
    await runCommand(async () => {
      const config = this.settings.store();
      const projections = chooseProjections(name);
      const result = await withStore(config, (store) =>
        verifyProjections({
          url: config.databaseUrl,
          liveSchema: config.readModelSchema,
          store,
          projections,
          maxDifferences: options.max ?? 5,
        }),
      );
      if (options.json) out(JSON.stringify(result, null, 2));
      else {
        const at = Object.entries(result.positions)
          .map(([n, p]) => `${n}@${p}`)
          .join(', ');
        out(
          `${result.ok ? 'OK' : 'DIFFERENT'}: read models in schema ${config.readModelSchema} vs a replay of the events (${at})`,
        );
        for (const t of result.tables)
          out(
            `  ${t.table.padEnd(22)} live ${String(t.liveRows).padStart(8)}  replayed ${String(t.rebuiltRows).padStart(8)}  differing ${t.differing}`,
          );
        for (const d of result.differences) {
          out(
            `  ${d.kind.toUpperCase()} ${d.table} ${JSON.stringify(d.key)}${d.kind === 'changed' ? ` columns: ${d.columns.join(', ')}` : ''}`,
          );
          for (const c of d.kind === 'changed' ? d.columns : [])
            for (const f of fieldDifferences(c, d.live?.[c], d.rebuilt?.[c]))
              out(`      ${f.path}: live ${show(f.live)}  replayed ${show(f.replayed)}`);
        }
      }
      return result.ok ? 0 : EXIT_PROBLEM_FOUND;
    });
  }
}
