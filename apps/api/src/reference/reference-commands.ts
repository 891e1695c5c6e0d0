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
import { type ProjectionRunner } from '@app/read-models';
import { actorOf, type CommandContext } from '../infrastructure/command-context';
import { runCommand } from '../infrastructure/run-command';
import {
  APP_RUNTIME,
  type AppRuntime,
  DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS,
  EVENT_STORE,
  PROJECTIONS,
} from '../infrastructure/runtime';

/** Kept for the demo loader and older imports: the stream names live with their aggregates in @app/domain. */
export { CATALOG_STREAM, partnerStream, unitSaleStream };

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

interface Done {
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly replayed: boolean;
}

@CommandHandler(ExecuteReferenceCommand)
export class ExecuteReferenceCommandHandler implements ICommandHandler<
  ExecuteReferenceCommand,
  ReferenceResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRunner,
    @Inject(APP_RUNTIME) private readonly runtime: AppRuntime,
  ) {}

  async execute({ command, ctx, actor }: ExecuteReferenceCommand): Promise<ReferenceResult> {
    const metadata = { now: ctx.now, actor: actor ?? actorOf(ctx.principal) };
    // An import job or the demo loader is recorded as itself, not as the principal that started it.
    const label = metadata.actor.kind === 'system' ? actorId(metadata.actor) : undefined;
    const done = await this.route(command, metadata, ctx, label);
    // Read-your-writes: a filing right after recording a sale must find it in the read models.
    await this.projections.waitFor(
      done.position,
      this.runtime.readYourWritesTimeoutMs ?? DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS,
    );
    if (done.replayed && ctx.outcome) ctx.outcome.replayed = true;
    return { stream: done.stream, revision: done.revision };
  }

  private async run<C, S, E extends VersionedEvent>(
    stream: string,
    decider: StreamDecider<C, S, E>,
    decide: (state: S) => readonly E[] | Promise<readonly E[]>,
    ctx: CommandContext,
    label: string | undefined,
  ): Promise<Done> {
    const done = await runCommand(this.store, stream, decider, decide, ctx, { actorOf: () => label });
    return { stream, revision: done.revision, position: done.position, replayed: done.replayed };
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
  ): Promise<Done> {
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
        );
      case 'PublishCatalogVersion':
        return this.run(
          CATALOG_STREAM,
          catalogDecider,
          (state) => catalogDecider.decide({ ...command, metadata }, state),
          ctx,
          label,
        );
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }
}
