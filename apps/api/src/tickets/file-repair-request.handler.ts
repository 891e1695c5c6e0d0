import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type CatalogFact,
  decide,
  type FailedComponent,
  initialState,
  type MembershipFact,
  membershipAt,
  normaliseModelNumber,
  type ProofOfDelivery,
  tokyoDateOf,
  ValidationError,
} from '@app/domain';
import { type EventStore } from '@app/event-store';
import { FilingFactsReader } from '@app/read-models';
import { actorOf, type CommandContext } from '../infrastructure/command-context';
import { IdempotencyKeyReusedError, newTicketId, storedCommandEnd } from '../infrastructure/idempotency';
import { EVENT_STORE } from '../infrastructure/runtime';
import { TicketCommitService, ticketStream } from './ticket-commit.service';
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
 * sale, the catalog version in force), then decides and appends. Choices where nothing is on record:
 * - no sales record for the serial: the unit is taken as sold to the filing partner on its delivery date, in
 *   Japan, with NO Partners Circle membership established (the extension needs a recorded sale to a member);
 * - no catalog version published yet: the catalog fact is `none` (product warranty only, decision 7).
 */
@CommandHandler(FileRepairRequest)
export class FileRepairRequestHandler implements ICommandHandler<FileRepairRequest, TicketView> {
  constructor(
    private readonly facts: FilingFactsReader,
    private readonly commits: TicketCommitService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly units: UnitClaims,
  ) {}

  async execute({ partnerId, request: r, ctx, overrideOpenTicket }: FileRepairRequest): Promise<TicketView> {
    // A keyed filing's ticket id comes from the key: its retry finds the ticket it filed and answers from it.
    const ticketId = newTicketId(ctx);
    if (ctx.idempotency) {
      const filed = await this.store.readStream(ticketStream(ticketId));
      if (filed.length > 0) {
        const end = storedCommandEnd(filed, ctx);
        if (end === undefined) throw new IdempotencyKeyReusedError(ctx.idempotency.key);
        return this.commits.answerFrom(ticketId, filed.slice(0, end), ctx, true);
      }
    }
    const today = tokyoDateOf(ctx.now);
    const { sale, partner, catalogFact } = await this.facts.read(r.serialNumber, today);
    if (sale && normaliseModelNumber(sale.modelNumber) !== normaliseModelNumber(r.modelNumber)) {
      throw new ValidationError(
        'modelNumber',
        `i-PRO's sales record for this serial says ${sale.modelNumber}`,
      );
    }
    const soldTo = sale?.partnerId ?? partnerId;
    const saleDate = sale?.saleDate ?? r.deliveryDate;
    const catalog: CatalogFact = catalogFact(r.modelNumber) ?? { version: 'none', entry: null };
    const membership: MembershipFact = partner
      ? membershipAt(partner, saleDate)
      : { partnerId: soldTo, saleDate, memberAtSaleDate: false, period: null, recordVersion: null };

    const events = decide(
      {
        type: 'RequestRepair',
        data: {
          ticketId,
          partnerId,
          unit: {
            serialNumber: r.serialNumber,
            modelNumber: sale?.modelNumber ?? r.modelNumber,
            deliveryDate: r.deliveryDate,
            soldToPartnerId: soldTo,
            saleDate,
            soldInJapan: sale?.soldInJapan ?? true,
            usedInJapan: r.usedInJapan ?? true,
          },
          catalog,
          membership,
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
      },
      initialState,
    );
    // The request is valid: claim the unit (one open ticket per unit), then store the ticket.
    await this.units.claim(r.serialNumber, ticketId, overrideOpenTicket, ctx);
    return this.commits.commit(ticketId, initialState, undefined, events, ctx);
  }
}
