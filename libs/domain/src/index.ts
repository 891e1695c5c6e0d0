// Public API of the pure domain library (@app/domain). Everything here is plain TypeScript: no framework,
// no I/O, no clock. Time (`metadata.now`) and ids come in as inputs.

export * from './shared/calendar';
export * from './shared/actor';
export * from './shared/domain-errors';
export * from './shared/event-codec';

export * from './catalog/catalog';
export * from './catalog/sample-catalog';
export * from './catalog/catalog.decider';
export * from './catalog/catalog.stream';

export * from './partner/membership';
export * from './partner/partner.decider';
export * from './partner/partner.stream';

export * from './unit-sale/unit-sale.decider';
export * from './unit-sale/unit-sale.stream';

export * from './warranty/warranty-assessment';
export * from './warranty/assess-warranty.policy';
export * from './warranty/assessment-facts';

export * from './repair-ticket/repair-ticket.events';
export * from './repair-ticket/repair-ticket.commands';
export * from './repair-ticket/repair-ticket.state';
export * from './repair-ticket/allowed-commands';
export * from './repair-ticket/ticket-billing';
export * from './repair-ticket/repair-ticket.decider';
export * from './repair-ticket/repair-ticket.stream';
export * from './repair-ticket/portal.policy';
export * from './unit-tickets/unit-tickets.decider';
export * from './unit-tickets/unit-tickets.stream';
