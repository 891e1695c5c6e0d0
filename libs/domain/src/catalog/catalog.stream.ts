import { eventCodec, type StreamDecider } from '../shared/event-codec';
import {
  type CatalogCommand,
  type CatalogEvent,
  type CatalogState,
  decideCatalog,
  evolveCatalog,
  initialCatalogState,
} from './catalog.decider';

/** The catalog is one stream: every published version of the covered list, in order. */
export const CATALOG_STREAM = 'catalog';

/** Stored catalog events → CatalogEvent. Schema version 1; no upcasters yet. */
export const catalogEvents = eventCodec<CatalogEvent>(['CatalogVersionPublished']);

export const catalogDecider: StreamDecider<CatalogCommand, CatalogState, CatalogEvent> = {
  decide: decideCatalog,
  evolve: evolveCatalog,
  initialState: initialCatalogState,
  decode: catalogEvents.decode,
};
