import { actors, billingAtAssessment, cmd, paidCamera, stateAfter } from '@app/domain/testing';
import { initialState } from './repair-ticket.state';
import { ticketBilling } from './ticket-billing';

/**
 * The ticket's billing now (decisions 3, 4 and 8 of DOMAIN.md), which the ticket detail and the list's
 * `chargeable` both show. Expected values are written out from the rules, not computed; the two at assessment
 * are billingAtAssessment's, which the e2e spec of the ticket detail checks too.
 */
const pickup = { model: 'WV-X1574LN' };
const quote42k = cmd.issueQuote({
  quoteId: 'Q-42',
  lines: [{ kind: 'repair', description: 'Housing and board', amountJpy: 42000 }],
});

describe('ticketBilling: the ticket’s current billing', () => {
  it('is null before the warranty assessment', () => {
    expect(ticketBilling(initialState)).toBeNull();
  });

  it('a free repair: nothing to pay, no quote needed', () => {
    expect(ticketBilling(stateAfter(cmd.requestRepair(pickup), cmd.escalate()))).toEqual(
      billingAtAssessment.freeRepair,
    );
  });

  it('out of warranty: chargeable at once, the assessment’s line unpriced until quoted', () => {
    expect(ticketBilling(stateAfter(cmd.requestRepair(paidCamera), cmd.escalate()))).toEqual({
      status: 'chargeable',
      basis: 'assessment',
      chargeable: true,
      quoteStatus: 'to_be_quoted',
      lines: [
        {
          kind: 'repair',
          description: 'Paid repair of WV-X1574LN',
          amountJpy: null,
          quoteId: null,
          status: 'unpriced',
        },
      ],
      acceptedJpy: 0,
    });
  });

  it('the quote replaces the assessment’s lines; accepted, its total is what the partner pays', () => {
    const quoted = [cmd.requestRepair(paidCamera), cmd.escalate(), quote42k];
    const line = { kind: 'repair', description: 'Housing and board', amountJpy: 42000, quoteId: 'Q-42' };
    expect(ticketBilling(stateAfter(...quoted))).toMatchObject({
      quoteStatus: 'awaiting_decision',
      lines: [{ ...line, status: 'quoted' }],
      acceptedJpy: 0,
    });
    expect(ticketBilling(stateAfter(...quoted, cmd.acceptQuote({ quoteId: 'Q-42' })))).toMatchObject({
      status: 'chargeable',
      chargeable: true,
      quoteStatus: 'accepted',
      lines: [{ ...line, status: 'accepted' }],
      acceptedJpy: 42000,
    });
    expect(ticketBilling(stateAfter(...quoted, cmd.declineQuote({ quoteId: 'Q-42' })))).toMatchObject({
      quoteStatus: 'declined',
      lines: [{ ...line, status: 'declined' }],
      acceptedJpy: 0,
    });
  });

  it('an exclusion found at inspection turns a free repair chargeable, to be quoted on its own (decision 4)', () => {
    const received = [
      cmd.requestRepair(pickup),
      cmd.escalate(),
      cmd.sendFailedUnit(),
      cmd.receiveFailedUnit(),
    ];
    const found = stateAfter(...received, cmd.recordInspectionFinding());
    expect(ticketBilling(found)).toEqual({
      status: 'chargeable',
      basis: 'exclusion_found',
      chargeable: true,
      quoteStatus: 'to_be_quoted',
      lines: [
        {
          kind: 'repair',
          description: 'Paid repair: exclusion (3) found at inspection',
          amountJpy: null,
          quoteId: null,
          status: 'unpriced',
        },
      ],
      acceptedJpy: 0,
    });
    // The ¥42,000 quote of issue #16: the detail shows it, priced and waiting for the partner.
    expect(ticketBilling(stateAfter(...received, cmd.recordInspectionFinding(), quote42k))).toEqual({
      status: 'chargeable',
      basis: 'exclusion_found',
      chargeable: true,
      quoteStatus: 'awaiting_decision',
      lines: [
        {
          kind: 'repair',
          description: 'Housing and board',
          amountJpy: 42000,
          quoteId: 'Q-42',
          status: 'quoted',
        },
      ],
      acceptedJpy: 0,
    });
  });

  it('an exclusion on the failed unit of a replacement is a paid replacement unit until quoted', () => {
    const exchanged = [
      cmd.requestRepair(),
      cmd.escalate(),
      cmd.shipReplacement(),
      cmd.confirmReplacementDelivered(),
      cmd.returnFailedUnit(),
      cmd.recordInspectionFinding({
        exclusion: 'disaster_pollution_or_abnormal_power',
        findings: 'lightning',
      }),
    ];
    expect(ticketBilling(stateAfter(...exchanged))?.lines).toEqual([
      {
        kind: 'replacement_unit',
        description: 'Paid repair: exclusion (4) found at inspection',
        amountJpy: null,
        quoteId: null,
        status: 'unpriced',
      },
    ]);
  });

  it('a free onsite repair on a remote island: free, but its travel charge is to be quoted (decision 8)', () => {
    const remote = cmd.requestRepair({ model: 'WJ-NX400', site: { prefecture: '沖縄県', remoteArea: true } });
    const escalated = stateAfter(remote, cmd.escalate());
    expect(ticketBilling(escalated)).toEqual(billingAtAssessment.freeOnsiteOnOkinawaRemoteIsland);
    const travel = cmd.issueQuote({
      quoteId: 'Q-T',
      lines: [{ kind: 'remote_area_travel', description: 'Ferry', amountJpy: 12000 }],
    });
    const accepted = stateAfter(remote, cmd.escalate(), travel, cmd.acceptQuote({ quoteId: 'Q-T' }));
    expect(ticketBilling(accepted)).toMatchObject({
      status: 'free',
      quoteStatus: 'accepted',
      acceptedJpy: 12000,
    });
    // Misuse found on site after that: the repair itself becomes paid; the travel charge stays accepted.
    const found = stateAfter(
      remote,
      cmd.escalate(),
      travel,
      cmd.acceptQuote({ quoteId: 'Q-T' }),
      cmd.dispatchOnsite(),
      cmd.recordInspectionFinding({
        exclusion: 'misuse_improper_repair_or_modification',
        findings: 'opened by the user',
      }),
    );
    expect(ticketBilling(found)).toMatchObject({
      status: 'chargeable',
      basis: 'exclusion_found',
      quoteStatus: 'to_be_quoted',
      lines: [
        { kind: 'remote_area_travel', amountJpy: 12000, quoteId: 'Q-T', status: 'accepted' },
        { kind: 'repair', amountJpy: null, quoteId: null, status: 'unpriced' },
      ],
      acceptedJpy: 12000,
    });
  });

  it('awaiting proof: pending, nothing to quote yet; going on without proof makes it chargeable (decision 3)', () => {
    const held = [cmd.requestRepair({ ...pickup, proofOfDelivery: null })];
    expect(ticketBilling(stateAfter(...held))).toMatchObject({
      status: 'pending_proof',
      chargeable: false,
      quoteStatus: 'not_required',
      lines: [],
    });
    expect(ticketBilling(stateAfter(...held, cmd.proceedWithoutProof(actors.partner)))).toMatchObject({
      status: 'chargeable',
      chargeable: true,
      quoteStatus: 'to_be_quoted',
    });
  });

  it('a software-only fault: no repair, nothing to pay', () => {
    const software = cmd.requestRepair({ failure: { component: 'software_only' } });
    expect(ticketBilling(stateAfter(software))).toMatchObject({
      status: 'none',
      chargeable: false,
      quoteStatus: 'not_required',
      lines: [],
    });
  });
});
