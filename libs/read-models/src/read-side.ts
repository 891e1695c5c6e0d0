import type { DataSource } from 'typeorm';
import { type DashboardReadModel, SqlDashboardReadModel } from './dashboard/dashboard-read-model';
import { FilingFactsReader } from './reference/filing-facts';
import { type ReferenceReadModel, SqlReferenceReadModel } from './reference/reference-read-model';
import { SqlTicketReadModel, type TicketReadModel } from './tickets/ticket-read-model';

/** The query ports over one read-model database: what the api's query handlers are given. */
export interface ReadSide {
  readonly tickets: TicketReadModel;
  readonly reference: ReferenceReadModel;
  readonly dashboard: DashboardReadModel;
  /** The reference facts of a filing, batched (on the command path). */
  readonly filingFacts: FilingFactsReader;
}

export function readSideOn(db: DataSource): ReadSide {
  return {
    tickets: new SqlTicketReadModel(db),
    reference: new SqlReferenceReadModel(db),
    dashboard: new SqlDashboardReadModel(db),
    filingFacts: new FilingFactsReader(db),
  };
}
