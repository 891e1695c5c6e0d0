/**
 * The billing a ticket shows right after its warranty assessment, in the scenarios that both the domain's
 * spec of ticketBilling and the HTTP spec of the ticket detail (test/e2e/ticket-billing.e2e.spec.ts) file.
 * One oracle for both, so the rule and its edge cannot drift apart; written out from DOMAIN.md (decisions 3, 4
 * and 8), never computed by the code under test.
 */
import { type TicketBilling } from '../src/repair-ticket/ticket-billing';

export const billingAtAssessment = {
  /** A free repair in warranty (a pickup camera, WV-X1574LN): nothing to pay, no quote needed. */
  freeRepair: {
    status: 'free',
    basis: 'assessment',
    chargeable: false,
    quoteStatus: 'not_required',
    lines: [],
    acceptedJpy: 0,
  },
  /**
   * A free onsite repair (a recorder, WJ-NX400) at a site on a remote island of 沖縄県: the repair is free,
   * its travel charge is chargeable and waits for a quote (decision 8).
   */
  freeOnsiteOnOkinawaRemoteIsland: {
    status: 'free',
    basis: 'assessment',
    chargeable: true,
    quoteStatus: 'to_be_quoted',
    lines: [
      {
        kind: 'remote_area_travel',
        description: 'Remote-area travel charge (離島・へき地), 沖縄県',
        amountJpy: null,
        quoteId: null,
        status: 'unpriced',
      },
    ],
    acceptedJpy: 0,
  },
} as const satisfies Record<string, TicketBilling>;
