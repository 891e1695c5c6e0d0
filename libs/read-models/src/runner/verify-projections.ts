import type { EventStore } from '@app/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection } from './projection';
import { dropSchema, openShadow, quoteSchema, ShadowReplayer } from './rebuild-aside';

export interface RowDifference {
  readonly table: string;
  /** Primary key of the row, e.g. `{ ticket_id: '…' }`. */
  readonly key: Record<string, unknown>;
  readonly kind: 'missing' | 'unexpected' | 'changed';
  /** Columns whose values differ (all columns for a missing/unexpected row). */
  readonly columns: readonly string[];
  readonly live: Record<string, unknown> | null;
  readonly rebuilt: Record<string, unknown> | null;
}

export interface TableComparison {
  readonly table: string;
  readonly liveRows: number;
  readonly rebuiltRows: number;
  readonly differing: number;
}

export interface ProjectionVerification {
  readonly ok: boolean;
  /** Live checkpoint each projection was compared at. */
  readonly positions: Record<string, number>;
  readonly tables: readonly TableComparison[];
  /** The first differences (at most `maxDifferences` per table). */
  readonly differences: readonly RowDifference[];
}

export interface VerifyProjectionsOptions {
  readonly url: string;
  readonly liveSchema: string;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  readonly maxDifferences?: number;
  readonly pageSize?: number;
}

/**
 * Replays the events, through the same projection code, into a scratch schema and compares the result with
 * the live tables row by row (jsonb of each row, joined on the primary key). The comparison is taken at each
 * projection's live checkpoint: the live checkpoint rows are held `FOR SHARE` while the replay catches up to
 * them and the tables are compared, so a running api's projection waits for those few seconds and a moving
 * log never shows as a false difference. The scratch schema is dropped afterwards.
 */
export async function verifyProjections(options: VerifyProjectionsOptions): Promise<ProjectionVerification> {
  const qLive = quoteSchema(options.liveSchema);
  const { schema, dataSource: scratch } = await openShadow(options.url, options.liveSchema);
  const qScratch = quoteSchema(schema);
  try {
    const livePositions = async (
      em: Pick<EntityManager, 'query'>,
      lock: string,
    ): Promise<Map<string, number>> => {
      const rows: { name: string; position: string }[] = await em.query(
        `SELECT name, position FROM ${qLive}.projection_checkpoint WHERE name = ANY($1::text[]) ORDER BY name ${lock}`,
        [options.projections.map((p) => p.name)],
      );
      return new Map(rows.map((r) => [r.name, Number(r.position)]));
    };
    // One replayer per projection: each stops at its own checkpoint (they differ right after a partial rebuild).
    const replayers = options.projections.map((p) => ({
      projection: p,
      replayer: new ShadowReplayer(options.store, scratch, [p], options.pageSize ?? 5000),
    }));
    const before = await livePositions(scratch, '');
    for (const { projection, replayer } of replayers)
      await replayer.catchUp(before.get(projection.name) ?? -1);

    return await scratch.transaction(async (em) => {
      const at = await livePositions(em, 'FOR SHARE');
      for (const { projection, replayer } of replayers)
        await replayer.catchUp(at.get(projection.name) ?? -1, em);
      const tables: TableComparison[] = [];
      const differences: RowDifference[] = [];
      for (const table of options.projections.flatMap((p) => [...p.tables])) {
        const keys = await primaryKey(em, schema, table);
        const on = keys.map((k) => `l."${k}" = s."${k}"`).join(' AND ');
        const from = `${qLive}."${table}" l FULL JOIN ${qScratch}."${table}" s ON ${on}
                      WHERE to_jsonb(l) IS DISTINCT FROM to_jsonb(s)`;
        const counts: { live: string; rebuilt: string; differing: string }[] = await em.query(
          `SELECT (SELECT count(*) FROM ${qLive}."${table}") AS live, (SELECT count(*) FROM ${qScratch}."${table}") AS rebuilt,
                  (SELECT count(*) FROM ${from}) AS differing`,
        );
        const c = counts[0];
        tables.push({
          table,
          liveRows: Number(c?.live ?? 0),
          rebuiltRows: Number(c?.rebuilt ?? 0),
          differing: Number(c?.differing ?? 0),
        });
        const samples: { live: Record<string, unknown> | null; rebuilt: Record<string, unknown> | null }[] =
          await em.query(
            `SELECT to_jsonb(l) AS live, to_jsonb(s) AS rebuilt FROM ${from}
              ORDER BY ${keys.map((k) => `coalesce(l."${k}", s."${k}")`).join(', ')} LIMIT $1`,
            [options.maxDifferences ?? 5],
          );
        for (const d of samples) differences.push(describe(table, keys, d.live, d.rebuilt));
      }
      return {
        ok: tables.every((t) => t.differing === 0),
        positions: Object.fromEntries(at),
        tables,
        differences,
      };
    });
  } finally {
    await dropSchema(scratch, schema).catch(() => undefined);
    await scratch.destroy();
  }
}

async function primaryKey(em: EntityManager, schema: string, table: string): Promise<string[]> {
  const rows: { column: string }[] = await em.query(
    `SELECT a.attname AS column
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND n.nspname = $1 AND c.relname = $2
      ORDER BY k.ord`,
    [schema, table],
  );
  if (rows.length === 0) throw new Error(`table ${table} has no primary key to compare rows by`);
  return rows.map((r) => r.column);
}

function describe(
  table: string,
  keys: readonly string[],
  live: Record<string, unknown> | null,
  rebuilt: Record<string, unknown> | null,
): RowDifference {
  const row = live ?? rebuilt ?? {};
  const key = Object.fromEntries(keys.map((k) => [k, row[k]]));
  if (!live || !rebuilt)
    return { table, key, kind: live ? 'unexpected' : 'missing', columns: Object.keys(row), live, rebuilt };
  const columns = Object.keys({ ...live, ...rebuilt }).filter(
    (c) => JSON.stringify(live[c]) !== JSON.stringify(rebuilt[c]),
  );
  return { table, key, kind: 'changed', columns, live, rebuilt };
}
