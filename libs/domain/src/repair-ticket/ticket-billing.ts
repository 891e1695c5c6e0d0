import { type Billing, type ChargeKind } from '../warranty/warranty-assessment';
import { type QuoteReason } from './repair-ticket.events';
import { type RepairTicketState } from './repair-ticket.state';

/** Where the price of the ticket's current charges stands. */
export type QuoteStatus = 'not_required' | 'to_be_quoted' | 'awaiting_decision' | 'accepted' | 'declined';
export const QUOTE_STATUSES: readonly QuoteStatus[] = [
  'not_required',
  'to_be_quoted',
  'awaiting_decision',
  'accepted',
  'declined',
];

/** A charge line as the ticket knows it now: priced by a quote (with that quote's status) or not yet. */
export interface BilledLine {
  readonly kind: ChargeKind;
  readonly description: string;
  /** Null until support prices the line in a quote. */
  readonly amountJpy: number | null;
  /** The quote that priced the line; null for a line not priced yet. */
  readonly quoteId: string | null;
  readonly status: BilledLineStatus;
}
export type BilledLineStatus = 'unpriced' | 'quoted' | 'accepted' | 'declined';
export const BILLED_LINE_STATUSES: readonly BilledLineStatus[] = [
  'unpriced',
  'quoted',
  'accepted',
  'declined',
];

/** The ticket's billing now, as opposed to the assessment's at filing (which later facts do not rewrite). */
export interface TicketBilling {
  /** The repair's billing now: the assessment's, made chargeable by an exclusion found at inspection (decision 4). */
  readonly status: Billing;
  /** What the current billing rests on: the warranty assessment, or an exclusion found at inspection. */
  readonly basis: QuoteReason;
  /** The partner pays something: a paid repair, or any charge line (a remote-area travel charge, an onsite fee). */
  readonly chargeable: boolean;
  /** The price of the current basis: no quote needed, to be quoted, quoted and waiting, accepted or declined. */
  readonly quoteStatus: QuoteStatus;
  /** Every quote's lines (priced), then the lines not priced yet. */
  readonly lines: readonly BilledLine[];
  /** What the partner agreed to pay: the total of the accepted quotes (0 when none). */
  readonly acceptedJpy: number;
}

/** The facts billing is computed from: the decider's state and the read side's ticket details both hold them. */
export type BillingFacts = Pick<RepairTicketState, 'assessment' | 'exclusion' | 'quotes'>;

const LINE_STATUS = { issued: 'quoted', accepted: 'accepted', declined: 'declined' } as const;
const QUOTE_STATUS = { issued: 'awaiting_decision', accepted: 'accepted', declined: 'declined' } as const;

/**
 * The ticket's current billing: the one rule the ticket detail (`billing`) and the ticket list (`chargeable`)
 * both show, so the two cannot disagree. Null before the warranty assessment.
 *
 * - An exclusion (1)–(6) found at inspection turns a free repair chargeable (decision 4); it is priced by a quote
 *   of its own (`reason: exclusion_found`). Until then it shows as one unpriced line, the assessment's own line
 *   for a paid repair (`replacement_unit` under scheme ①, `repair` otherwise).
 * - The assessment's charge lines (amounts to be quoted, decision 8) are unpriced until a quote on the assessment
 *   prices them; its quote then replaces them.
 */
export function ticketBilling(facts: BillingFacts): TicketBilling | null {
  const { assessment, exclusion, quotes } = facts;
  if (assessment === null) return null;
  const basis: QuoteReason = exclusion === null ? 'assessment' : 'exclusion_found';
  const status: Billing = exclusion === null ? assessment.billing : 'chargeable';

  const quoted = (reason: QuoteReason) => quotes.filter((q) => q.reason === reason).at(-1);
  const unpriced = (line: { kind: ChargeKind; description: string }): BilledLine => ({
    ...line,
    amountJpy: null,
    quoteId: null,
    status: 'unpriced',
  });
  const lines: BilledLine[] = quotes.flatMap((q) =>
    q.lines.map((l) => ({ ...l, quoteId: q.quoteId, status: LINE_STATUS[q.status] })),
  );
  if (quoted('assessment') === undefined)
    lines.push(...assessment.chargeLines.map(({ kind, description }) => unpriced({ kind, description })));
  if (exclusion !== null && quoted('exclusion_found') === undefined)
    lines.push(
      unpriced({
        kind: assessment.scheme === 'replacement' ? 'replacement_unit' : 'repair',
        description: `Paid repair: exclusion (${exclusion.clause}) found at inspection`,
      }),
    );

  const current = quoted(basis);
  const quoteStatus: QuoteStatus =
    current !== undefined
      ? QUOTE_STATUS[current.status]
      : basis === 'exclusion_found' || assessment.quoteRequired
        ? 'to_be_quoted'
        : 'not_required';
  return {
    status,
    basis,
    chargeable: status === 'chargeable' || lines.length > 0,
    quoteStatus,
    lines,
    acceptedJpy: quotes.filter((q) => q.status === 'accepted').reduce((sum, q) => sum + q.totalJpy, 0),
  };
}
