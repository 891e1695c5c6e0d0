// Public API of the read side (@app/read-models): projections and their runner, rebuild and verify (the CLI),
// and the query ports the api reads through, with the views they answer in (versioned by name, *V1).
export * from './runner/projection';
export * from './runner/projection-runner';
export * from './runner/rebuild-aside';
export * from './runner/verify-projections';
export * from './runner/projection-checkpoint.entity';
export * from './runner/rebuild-aside';
export * from './runner/verify-projections';
export * from './tickets/ticket-summary.entity';
export * from './tickets/ticket-event.entity';
export * from './reference/partner.entity';
export * from './reference/unit-sale.entity';
export * from './reference/catalog-version.entity';
export * from './data-source';
export * from './read-side';
export * from './tickets/tickets.projection';
export * from './tickets/ticket-details';
export * from './tickets/ticket-read-model';
export * from './reference/reference.projection';
export * from './reference/reference-read-model';
export * from './reference/filing-facts';
export * from './dashboard/dashboard-read-model';
export * from './tickets/snapshots';
