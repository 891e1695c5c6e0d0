import { guardPoolClients } from '@app/event-store';
import { type Pool, types } from 'pg';
import { DataSource } from 'typeorm';
import { ReadModels1732500000000 } from './migrations/1732500000000-read-models';
import { HistorySnapshots1764000000000 } from './migrations/1764000000000-history-snapshots';
import { BytewiseKeys1764100000000 } from './migrations/1764100000000-bytewise-keys';
import { DropIdempotencyRecord1764200000000 } from './migrations/1764200000000-drop-idempotency-record';
import { TicketDetails1764300000000 } from './migrations/1764300000000-ticket-details';
import { ChargeableRule1764400000000 } from './migrations/1764400000000-chargeable-rule';
import { ProjectionCheckpointEntity } from './runner/projection-checkpoint.entity';
import { CatalogVersionEntity } from './reference/catalog-version.entity';
import { PartnerEntity } from './reference/partner.entity';
import { UnitSaleEntity } from './reference/unit-sale.entity';
import { TicketEventEntity } from './tickets/ticket-event.entity';
import { TicketSummaryEntity } from './tickets/ticket-summary.entity';

export const READ_MODEL_ENTITIES = [
  ProjectionCheckpointEntity,
  TicketSummaryEntity,
  TicketEventEntity,
  PartnerEntity,
  UnitSaleEntity,
  CatalogVersionEntity,
];

// DATE columns stay 'YYYY-MM-DD' strings (calendar days in Japan time), never shifted through a JS Date.
types.setTypeParser(types.builtins.DATE, (v: string) => v);

export interface ReadModelDbOptions {
  readonly url: string;
  /** Postgres schema holding the read models (tests use a fresh one each). */
  readonly schema?: string;
  readonly poolSize?: number;
}

/** Read models live in PostgreSQL (server or embedded PGlite) and are created by migrations, never `synchronize`. */
export async function openReadModelDataSource(options: ReadModelDbOptions): Promise<DataSource> {
  const schema = options.schema ?? 'public';
  if (schema !== 'public') {
    const bootstrap = new DataSource({ type: 'postgres', url: options.url });
    await bootstrap.initialize();
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await bootstrap.destroy();
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema,
    entities: READ_MODEL_ENTITIES,
    migrations: [
      ReadModels1732500000000,
      HistorySnapshots1764000000000,
      BytewiseKeys1764100000000,
      DropIdempotencyRecord1764200000000,
      TicketDetails1764300000000,
      ChargeableRule1764400000000,
    ],
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    extra: { max: options.poolSize ?? 10, options: `-c search_path="${schema}"` },
  });
  await dataSource.initialize();
  guardPoolClients((dataSource.driver as unknown as { master: Pool }).master);
  await dataSource.runMigrations({ transaction: 'all' });
  return dataSource;
}
