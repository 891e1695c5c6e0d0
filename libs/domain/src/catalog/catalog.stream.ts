import { eventCodec, streamDecider } from '../shared/event-codec';
import { type CatalogEvent, decideCatalog, evolveCatalog, initialCatalogState } from './catalog.decider';

/** The catalog is one stream: every published version of the covered list, in order. */
export const CATALOG_STREAM = 'catalog';

/** Stored catalog events → CatalogEvent. Schema version 1; no upcasters yet. */
export const catalogEvents = eventCodec<CatalogEvent>(['CatalogVersionPublished']);

export const catalogDecider = streamDecider(catalogEvents, decideCatalog, evolveCatalog, initialCatalogState);
