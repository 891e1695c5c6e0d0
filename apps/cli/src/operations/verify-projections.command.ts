import { verifyProjections } from '@app/read-models';
import { Command, CommandRunner, Option } from 'nest-commander';
import {
  chooseProjections,
  cliConfigFromEnv,
  EXIT_PROBLEM_FOUND,
  out,
  runCommand,
  withStore,
} from '../cli-context';

interface VerifyProjectionsOptions {
  json?: boolean;
  max?: number;
}

const clip = (v: unknown): string => {
  const text = JSON.stringify(v) ?? 'null';
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/** `verify-projections [name]`: replays the events aside and diffs them with the live tables; exit 1 on drift. */
@Command({
  name: 'verify-projections',
  arguments: '[name]',
  description:
    'Replay the events aside and compare with the live read-model tables; exit 1 and print the first differences',
})
export class VerifyProjectionsCommand extends CommandRunner {
  async run([name]: string[], options: VerifyProjectionsOptions = {}): Promise<void> {
    await runCommand(async () => {
      const config = cliConfigFromEnv();
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
            out(`      ${c}: live ${clip(d.live?.[c])}  replayed ${clip(d.rebuilt?.[c])}`);
        }
      }
      return result.ok ? 0 : EXIT_PROBLEM_FOUND;
    });
  }

  @Option({ flags: '--json', description: 'print the comparison as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--max <n>', description: 'differences shown per table (default 5)' })
  parseMax(v: string): number {
    return Math.max(1, Number.parseInt(v, 10) || 5);
  }
}
