import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type Actor,
  actorId,
  CATALOG_STREAM,
  type CatalogCommand,
  catalogDecider,
  catalogEvents,
  catalogKnowsModel,
  evolveCatalog,
  foldStream,
  initialCatalogState,
  type PartnerCommand,
  partnerDecider,
  partnerStream,
  type StreamDecider,
  type UnitSaleCommand,
  unitSaleDecider,
  type UnitSaleFacts,
  unitSaleStream,
  type VersionedEvent,
} from '@app/domain';
import { type EventStore } from '@app/event-store';
import {
  type CatalogVersionV1,
  catalogVersionV1Of,
  type PartnerV1,
  partnerV1Of,
  type UnitSaleV1,
  unitSaleV1Of,
} from '@app/read-models';
import { actorOf, type CommandContext } from '../infrastructure/command-context';
import { CommandPipeline } from '../infrastructure/command-pipeline';
import { EVENT_STORE } from '../infrastructure/runtime';

/** Kept for the demo loader and older imports: the stream names live with their aggregates in @app/domain. */
export { CATALOG_STREAM, partnerStream, unitSaleStream };

/** A command as the edge sends it: the handler adds metadata and the facts it looks up in the store. */
type WithoutMeta<C> = C extends { metadata: unknown } ? Omit<C, 'metadata' | 'facts'> : never;
export type ReferenceCommandInput =
  WithoutMeta<PartnerCommand> | WithoutMeta<UnitSaleCommand> | WithoutMeta<CatalogCommand>;

/**
 * A reference write answers with the record it created or changed, as its GET shows it: built from the state the
 * command decided (for a retry, the state its stored events left), through the mappers the projection stores
 * with, so the answer does not depend on the read model having caught up, and a replay is the first answer.
 */
export type ReferenceResult =
  | { readonly kind: 'partner'; readonly partner: PartnerV1 }
  | { readonly kind: 'unit_sale'; readonly sale: UnitSaleV1 }
  | { readonly kind: 'catalog_version'; readonly catalogVersion: CatalogVersionV1 };

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

@CommandHandler(ExecuteReferenceCommand)
export class ExecuteReferenceCommandHandler implements ICommandHandler<
  ExecuteReferenceCommand,
  ReferenceResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  async execute({ command, ctx, actor }: ExecuteReferenceCommand): Promise<ReferenceResult> {
    const metadata = { now: ctx.now, actor: actor ?? actorOf(ctx.principal) };
    // An import job or the demo loader is recorded as itself, not as the principal that started it.
    const label = metadata.actor.kind === 'system' ? actorId(metadata.actor) : undefined;
    // The pipeline waits for the read models: a filing right after recording a sale must find it there.
    return this.route(command, metadata, ctx, label);
  }

  private async run<C, S, E extends VersionedEvent>(
    stream: string,
    decider: StreamDecider<C, S, E>,
    decide: (state: S) => readonly E[] | Promise<readonly E[]>,
    ctx: CommandContext,
    label: string | undefined,
    resultOf: (state: S, revision: number) => ReferenceResult | Promise<ReferenceResult>,
  ): Promise<ReferenceResult> {
    const done = await this.pipeline.run(stream, decider, decide, ctx, { actorOf: () => label });
    return resultOf(done.state, done.revision);
  }

  /** When the store recorded the catalog event at `revision` (the version's `recordedAt`). */
  private async recordedAt(stream: string, revision: number): Promise<string> {
    const [event] = await this.store.readStream(stream, { fromRevision: revision, maxCount: 1 });
    if (event === undefined) throw new Error(`${stream}@${revision} was just stored, and is not found`);
    return event.recordedAt;
  }

  /** A sale names a registered partner and a catalog model (the CSV import looks up the same facts). */
  private async saleFacts(partnerId: string, modelNumber: string): Promise<UnitSaleFacts> {
    const [partner, catalog] = await Promise.all([
      this.store.streamRevision(partnerStream(partnerId)),
      this.store.readStream(CATALOG_STREAM),
    ]);
    return {
      partnerRegistered: partner !== undefined,
      modelInCatalog: catalogKnowsModel(
        foldStream(catalog, catalogEvents, evolveCatalog, initialCatalogState),
        modelNumber,
      ),
    };
  }

  /** Each command on its stream, with its aggregate's decider. */
  private route(
    command: ReferenceCommandInput,
    metadata: { readonly now: string; readonly actor: Actor },
    ctx: CommandContext,
    label: string | undefined,
  ): Promise<ReferenceResult> {
    switch (command.type) {
      case 'RegisterPartner':
      case 'JoinPartnersCircle':
      case 'LeavePartnersCircle':
      case 'CertifyPartner':
        return this.run(
          partnerStream(command.data.partnerId),
          partnerDecider,
          (state) => partnerDecider.decide({ ...command, metadata }, state),
          ctx,
          label,
          (state, revision) => {
            const partner = partnerV1Of(state, revision);
            // The decider refuses every command on a partner nobody registered (404 partner_not_found).
            if (partner === null)
              throw new Error(`partner ${command.data.partnerId} has no record after ${command.type}`);
            return { kind: 'partner', partner };
          },
        );
      case 'RecordUnitSale':
        return this.run(
          unitSaleStream(command.data.serialNumber),
          unitSaleDecider,
          async (state) =>
            unitSaleDecider.decide(
              {
                ...command,
                facts: await this.saleFacts(command.data.partnerId, command.data.modelNumber),
                metadata,
              },
              state,
            ),
          ctx,
          label,
          ({ sale }) => {
            if (sale === null)
              throw new Error(`no sale of ${command.data.serialNumber} after ${command.type}`);
            return { kind: 'unit_sale', sale: unitSaleV1Of(sale) };
          },
        );
      case 'PublishCatalogVersion':
        return this.run(
          CATALOG_STREAM,
          catalogDecider,
          (state) => catalogDecider.decide({ ...command, metadata }, state),
          ctx,
          label,
          async ({ versions }, revision) => {
            const version = versions.find((v) => v.version === command.data.version);
            if (version === undefined)
              throw new Error(`catalog version ${command.data.version} missing after ${command.type}`);
            const recordedAt = await this.recordedAt(CATALOG_STREAM, revision);
            return { kind: 'catalog_version', catalogVersion: catalogVersionV1Of(version, recordedAt) };
          },
        );
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }
}
