import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assessmentFactsFor,
  type FailedComponent,
  type ProofOfDelivery,
  type RequestRepair,
  tokyoDateOf,
} from '@app/domain';
import { FilingFactsReader } from '@app/read-models';
import { actorOf, type CommandContext } from '../infrastructure/command-context';
import { IdempotencyKeyReusedError, newTicketId, storedCommandEnd } from '../infrastructure/idempotency';
import { TicketCommitService } from './ticket-commit.service';
import { type TicketView } from './ticket-view';
import { UnitClaims } from './unit-claims';

export interface RepairRequestInput {
  readonly serialNumber: string;
  readonly modelNumber: string;
  readonly deliveryDate: string;
  readonly proofOfDelivery?: ProofOfDelivery | null;
  readonly failureDate: string;
  readonly failureDescription: string;
  readonly failedComponent: FailedComponent;
  readonly site: { readonly prefecture: string; readonly remoteArea: boolean };
  readonly onsiteRequested: boolean;
  readonly usedInJapan?: boolean;
  readonly endUserReference?: string | null;
}

export class FileRepairRequest extends Command<TicketView> {
  constructor(
    /** The filing partner: always the caller's own partner id (an end user cannot file with i-PRO). */
    readonly partnerId: string,
    readonly request: RepairRequestInput,
    readonly ctx: CommandContext,
    /** Support only: file although the unit has an open ticket, for this reason (recorded in the claim). */
    readonly overrideOpenTicket: string | null = null,
  ) {
    super();
  }
}

/**
 * Resolves what the assessment needs from reference data (the unit's sale, the partner's membership at the
 * sale, the catalog version in force: the rules for what is not on record are the domain's
 * `assessmentFactsFor`), then decides and appends through the ticket's command pipeline. The request is
 * decided before the unit is claimed (one open ticket per unit), and the ticket is stored after the claim.
 */
@CommandHandler(FileRepairRequest)
export class FileRepairRequestHandler implements ICommandHandler<FileRepairRequest, TicketView> {
  constructor(
    private readonly facts: FilingFactsReader,
    private readonly tickets: TicketCommitService,
    private readonly units: UnitClaims,
  ) {}

  execute({ partnerId, request: r, ctx, overrideOpenTicket }: FileRepairRequest): Promise<TicketView> {
    // A keyed filing's ticket id comes from the key: its retry finds the ticket it filed and answers from it.
    const ticketId = newTicketId(ctx);
    const key = ctx.idempotency;
    return this.tickets.run(
      ticketId,
      async (): Promise<RequestRepair> => {
        const today = tokyoDateOf(ctx.now);
        const { sale, partner, catalogFact } = await this.facts.read(r.serialNumber, today);
        const facts = assessmentFactsFor(
          { sale, soldToPartner: partner, catalogFact },
          {
            serialNumber: r.serialNumber,
            modelNumber: r.modelNumber,
            modelSource: 'request',
            deliveryDate: r.deliveryDate,
            usedInJapan: r.usedInJapan ?? true,
            filingPartnerId: partnerId,
          },
        );
        return {
          type: 'RequestRepair',
          data: {
            ticketId,
            partnerId,
            ...facts,
            failure: {
              failureDate: r.failureDate,
              description: r.failureDescription,
              component: r.failedComponent,
            },
            proofOfDelivery: r.proofOfDelivery ?? null,
            site: r.site,
            onsiteRequested: r.onsiteRequested,
            requestDate: today,
            endUserReference: r.endUserReference ?? null,
          },
          metadata: { now: ctx.now, actor: actorOf(ctx.principal) },
        };
      },
      ctx,
      {
        expectedRevision: 'no_stream',
        // The derived ticket id's stream holds events of another request: the key was used for that one.
        storedEnd: key
          ? (filed) => {
              if (filed.length === 0) return undefined;
              const end = storedCommandEnd(filed, ctx);
              if (end === undefined) throw new IdempotencyKeyReusedError(key.key);
              return end;
            }
          : undefined,
        // The request is valid: claim the unit (one open ticket per unit), then store the ticket.
        beforeAppend: () => this.units.claim(r.serialNumber, ticketId, overrideOpenTicket, ctx),
      },
    );
  }
}
