import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type Actor,
  type CatalogCommand,
  decideCatalog,
  decidePartner,
  decideUnitSale,
  evolveCatalog,
  evolvePartner,
  evolveUnitSale,
  initialCatalogState,
  initialPartnerState,
  initialUnitSaleState,
  type PartnerCommand,
  type UnitSaleCommand,
} from '@app/domain';
import { type EventStore } from '@app/event-store';
import { type ProjectionRunner } from '@app/read-models';
import { appendDecided, loadAggregate } from '../infrastructure/aggregate-store';
import { actorOf, type CommandContext, toNewEvents } from '../infrastructure/command-context';
import { EVENT_STORE, PROJECTIONS } from '../infrastructure/runtime';

type WithoutMeta<C> = C extends { metadata: unknown } ? Omit<C, 'metadata'> : never;
export type ReferenceCommandInput =
  WithoutMeta<PartnerCommand> | WithoutMeta<UnitSaleCommand> | WithoutMeta<CatalogCommand>;

export interface ReferenceResult {
  readonly stream: string;
  readonly revision: number;
}

/** Reference data (partners, unit sales, catalog versions) changes by events too, one stream per record. */
export class ExecuteReferenceCommand extends Command<ReferenceResult> {
  constructor(
    readonly command: ReferenceCommandInput,
    readonly ctx: CommandContext,
    /** Import jobs and the demo loader act as `system`; HTTP callers as themselves. */
    readonly actor?: Actor,
  ) {
    super();
  }
}

export const partnerStream = (partnerId: string): string => `partner-${partnerId}`;
export const unitSaleStream = (serial: string): string => `unit-sale-${serial}`;
export const CATALOG_STREAM = 'catalog';

@CommandHandler(ExecuteReferenceCommand)
export class ExecuteReferenceCommandHandler implements ICommandHandler<
  ExecuteReferenceCommand,
  ReferenceResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRunner,
  ) {}

  async execute({ command, ctx, actor }: ExecuteReferenceCommand): Promise<ReferenceResult> {
    const metadata = { now: ctx.now, actor: actor ?? actorOf(ctx.principal) };
    let stream: string;
    let decided: readonly { type: string; schemaVersion: number; data: unknown }[];
    let revision: number | undefined;
    switch (command.type) {
      case 'RegisterPartner':
      case 'JoinPartnersCircle':
      case 'LeavePartnersCircle':
      case 'CertifyPartner': {
        stream = partnerStream(command.data.partnerId);
        const loaded = await loadAggregate(this.store, stream, {
          initialState: initialPartnerState,
          evolve: evolvePartner,
        });
        revision = loaded.revision;
        decided = decidePartner({ ...command, metadata }, loaded.state);
        break;
      }
      case 'RecordUnitSale': {
        stream = unitSaleStream(command.data.serialNumber);
        const loaded = await loadAggregate(this.store, stream, {
          initialState: initialUnitSaleState,
          evolve: evolveUnitSale,
        });
        revision = loaded.revision;
        decided = decideUnitSale({ ...command, metadata }, loaded.state);
        break;
      }
      case 'PublishCatalogVersion': {
        stream = CATALOG_STREAM;
        const loaded = await loadAggregate(this.store, stream, {
          initialState: initialCatalogState,
          evolve: evolveCatalog,
        });
        revision = loaded.revision;
        decided = decideCatalog({ ...command, metadata }, loaded.state);
        break;
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
    const actorLabel = metadata.actor.kind === 'system' ? `system:${metadata.actor.component}` : undefined;
    const result = await appendDecided(this.store, stream, toNewEvents(decided, ctx, actorLabel), revision);
    await this.projections.waitFor(result.lastGlobalPosition, 5000);
    return { stream, revision: result.nextExpectedRevision };
  }
}
