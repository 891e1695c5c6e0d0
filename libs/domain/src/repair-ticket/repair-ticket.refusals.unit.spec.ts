import { BusinessRuleViolationError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import { actors, cmd, meta, stories, ticket } from '../../testing/repair-ticket-fixtures.test-support';

/** The words a refused ticket command carries: who may not, and why a proof or a time is refused. */

describe('who may not act on a ticket, and why', () => {
  // prettier-ignore
  ticket.refuses([
    ['tells a partner filing for another partner that it files in its own name only', () => [], cmd.requestRepair({ partnerId: 'P-002' }, actors.partner), NotAllowedError, { code: 'not_allowed', message: 'partner:P-001 may not RequestRepair: a partner files requests in its own name only' }],
    ['tells an end user that requests reach i-PRO through a partner', () => [], cmd.requestRepair({}, actors.endUser), NotAllowedError, { actor: 'end_user:EU-9', reason: 'end users report failures to their partner; requests reach i-PRO through a partner' }],
    ['tells a partner that a support step is not a partner action', stories.escalated, cmd.shipReplacement({}, actors.partner), NotAllowedError, { message: 'partner:P-001 may not ShipReplacement: not a partner action' }],
  ]);
});

describe('refused inputs on a filed ticket', () => {
  const proof = cmd.submitProof();
  const withoutProof = { ...proof, data: { ...proof.data, proof: undefined } } as unknown as typeof proof;
  // prettier-ignore
  ticket.refuses([
    ['says a time must be an instant', stories.requested, { ...cmd.escalate(), metadata: meta(actors.portal, '2026-11-25') }, ValidationError, { message: 'metadata.now: must be an ISO-8601 instant' }],
    ['names proof.kind when the proof is missing', stories.awaitingProof, withoutProof, ValidationError, { field: 'proof.kind' }],
    ['says why a proven delivery date after the failure is refused', stories.awaitingProof, cmd.submitProof({ deliveryDate: '2026-11-21' }), BusinessRuleViolationError, { code: 'business_rule_violated', rule: 'failure_before_proven_delivery', message: 'the proven delivery date is after the failure date' }],
    ['says why a proven delivery date before the sale is refused', stories.awaitingProof, cmd.submitProof({ deliveryDate: '2026-01-15' }), BusinessRuleViolationError, { rule: 'delivery_before_sale', message: 'the proven delivery date is before the sale date' }],
  ]);

  it('names the unrepairable model in the rejection', () => {
    ticket
      .given([])
      .when(cmd.requestRepair({ model: 'WV-SDA128G' }))
      .thenState((state, events) =>
        expect(events[2]).toMatchObject({
          type: 'RepairRejected',
          data: { reason: 'unrepairable_model', detail: 'WV-SDA128G is not repairable', advice: 'buy_new' },
        }),
      );
  });
});
