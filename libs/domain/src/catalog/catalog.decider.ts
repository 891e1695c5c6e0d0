import { actorId } from '../shared/actor';
import { isInstant } from '../shared/calendar';
import { IllegalTransitionError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import { type DomainCommand, type DomainEvent } from '../shared/messages';
import {
  type CatalogEntry,
  type CatalogVersion,
  normaliseModelNumber,
  validateCatalogVersion,
} from './catalog';

/** Reference data: the catalog and covered list, published as immutable versions (one stream). */

export type CatalogVersionPublished = DomainEvent<
  'CatalogVersionPublished',
  { version: string; publishedAt: string; entries: readonly CatalogEntry[] }
>;
export type CatalogEvent = CatalogVersionPublished;

export type PublishCatalogVersion = DomainCommand<'PublishCatalogVersion', CatalogVersion>;
export type CatalogCommand = PublishCatalogVersion;

export interface CatalogState {
  readonly versions: readonly CatalogVersion[];
}

export const initialCatalogState: CatalogState = { versions: [] };

export function decideCatalog(command: CatalogCommand, state: CatalogState): CatalogEvent[] {
  const { actor, now } = command.metadata;
  if (actor.kind !== 'support' && actor.kind !== 'system')
    throw new NotAllowedError(actorId(actor), command.type, 'the covered list is maintained by i-PRO');
  if (!isInstant(now)) throw new ValidationError('metadata.now', 'must be an ISO-8601 instant');
  validateCatalogVersion(command.data);
  if (state.versions.some((v) => v.version === command.data.version))
    throw new IllegalTransitionError(
      'published',
      command.type,
      `version ${command.data.version} already exists`,
    );
  const { version, publishedAt, entries } = command.data;
  return [
    {
      type: 'CatalogVersionPublished',
      schemaVersion: 1,
      data: { version, publishedAt, entries, at: now, by: actorId(actor) },
    },
  ];
}

export function evolveCatalog(state: CatalogState, event: CatalogEvent): CatalogState {
  const { version, publishedAt, entries } = event.data;
  return { versions: [...state.versions, { version, publishedAt, entries }] };
}

/**
 * The version in force on a date: the latest published on or before it (versions published the same day:
 * the last one recorded wins). Null before the first version.
 */
/** Is the model (compared normalised) in any published version? */
export function catalogKnowsModel(state: CatalogState, modelNumber: string): boolean {
  const wanted = normaliseModelNumber(modelNumber);
  return state.versions.some((v) => v.entries.some((e) => normaliseModelNumber(e.modelNumber) === wanted));
}

export function catalogInForce(state: CatalogState, on: string): CatalogVersion | null {
  let found: CatalogVersion | null = null;
  for (const v of state.versions)
    if (v.publishedAt <= on && (found === null || v.publishedAt >= found.publishedAt)) found = v;
  return found;
}
