import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type Actor,
  type CatalogCommand,
  catalogKnowsModel,
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
  type UnitSaleFacts,
} from '@app/domain';
import { type EventStore, type RecordedEvent } from '@app/event-store';
import { type ProjectionRunner } from '@app/read-models';
import { foldEvents as fold } from '../infrastructure/aggregate-store';
import { actorOf, type CommandContext, toNewEvents } from '../infrastructure/command-context';
import { appendCommand, storedCommandEnd } from '../infrastructure/idempotency';
import { EVENT_STORE, PROJECTIONS } from '../infrastructure/runtime';

/** A command as the edge sends it: the handler adds metadata and the facts it looks up in the store. */
type WithoutMeta<C> = C extends { metadata: unknown } ? Omit<C, 'metadata' | 'facts'> : never;
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
    const { stream, decideOn } = this.route(command, metadata, await this.saleFacts(command));
    const events = await this.store.readStream(stream);
    // A retry of a command already stored (its answer was lost): the same answer, nothing appended.
    const stored = storedCommandEnd(events, ctx);
    const done = stored === undefined ? undefined : events[stored - 1];
    if (done) return this.answer(stream, done.revision, done.globalPosition, ctx, true);
    const decided = decideOn(events);
    const actorLabel = metadata.actor.kind === 'system' ? `system:${metadata.actor.component}` : undefined;
    const appended = await appendCommand(
      this.store,
      stream,
      toNewEvents(
        decided,
        ctx,
        decided.map(() => actorLabel),
      ),
      events.at(-1)?.revision,
      ctx,
    );
    return this.answer(stream, appended.revision, appended.position, ctx, appended.replayed);
  }

  private async answer(
    stream: string,
    revision: number,
    position: number,
    ctx: CommandContext,
    replayed: boolean,
  ): Promise<ReferenceResult> {
    await this.projections.waitFor(position, 5000);
    if (replayed && ctx.outcome) ctx.outcome.replayed = true;
    return { stream, revision };
  }

  /** A sale names a registered partner and a catalog model (the CSV import looks up the same facts). */
  private async saleFacts(command: ReferenceCommandInput): Promise<UnitSaleFacts | undefined> {
    if (command.type !== 'RecordUnitSale') return undefined;
    const [partner, catalog] = await Promise.all([
      this.store.streamRevision(partnerStream(command.data.partnerId)),
      this.store.readStream(CATALOG_STREAM),
    ]);
    return {
      partnerRegistered: partner !== undefined,
      modelInCatalog: catalogKnowsModel(
        fold(catalog, evolveCatalog, initialCatalogState),
        command.data.modelNumber,
      ),
    };
  }

  /** The command's stream, and its decision over that stream's events. */
  private route(
    command: ReferenceCommandInput,
    metadata: { readonly now: string; readonly actor: Actor },
    saleFacts: UnitSaleFacts | undefined,
  ): { stream: string; decideOn: (history: readonly RecordedEvent[]) => readonly DecidedEvent[] } {
    switch (command.type) {
      case 'RegisterPartner':
      case 'JoinPartnersCircle':
      case 'LeavePartnersCircle':
      case 'CertifyPartner':
        return {
          stream: partnerStream(command.data.partnerId),
          decideOn: (history) =>
            decidePartner({ ...command, metadata }, fold(history, evolvePartner, initialPartnerState)),
        };
      case 'RecordUnitSale':
        return {
          stream: unitSaleStream(command.data.serialNumber),
          decideOn: (history) =>
            decideUnitSale(
              {
                ...command,
                facts: saleFacts ?? { partnerRegistered: false, modelInCatalog: false },
                metadata,
              },
              fold(history, evolveUnitSale, initialUnitSaleState),
            ),
        };
      case 'PublishCatalogVersion':
        return {
          stream: CATALOG_STREAM,
          decideOn: (history) =>
            decideCatalog({ ...command, metadata }, fold(history, evolveCatalog, initialCatalogState)),
        };
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }
}

type DecidedEvent = { readonly type: string; readonly schemaVersion: number; readonly data: unknown };
