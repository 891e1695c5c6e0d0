import {
  BusinessRuleViolationError,
  IllegalTransitionError,
  NotAllowedError,
  TicketNotFoundError,
  ValidationError,
} from '../shared/domain-errors';
import {
  actors,
  cmd,
  event,
  history,
  meta,
  PROOF,
  type RequestOverrides,
  requestData,
  stories,
  ticket,
} from '../../testing/repair-ticket-fixtures.test-support';
import { type WarrantyAssessed } from './repair-ticket.events';

type Assessment = WarrantyAssessed['data']['assessment'];

/**
 * The assessments the fixture's request gets, written out (not computed by the policy): a camera delivered
 * 2026-03-10, sold 2026-02-01 to a partner in the Partners Circle since 2020, failed 2026-11-20, requested
 * 2026-11-25 — inside the 1-year product warranty (to 2027-03-09), the 5-year extension running on to
 * 2031-03-09; a replacement-scheme model.
 */
function fixtureAssessment(
  proof: Assessment['basis']['proofOfDelivery'],
): Pick<Assessment, 'periods' | 'failureDate' | 'requestDate' | 'deliveryDate' | 'basis'> {
  const { catalog, membership } = requestData();
  return {
    periods: {
      productWarranty: { start: '2026-03-10', end: '2027-03-09' },
      partnersCircleExtension: { start: '2027-03-10', end: '2031-03-09' },
    },
    failureDate: '2026-11-20',
    requestDate: '2026-11-25',
    deliveryDate: '2026-03-10',
    basis: {
      catalogVersion: catalog.version,
      catalogEntry: catalog.entry,
      membership,
      proofOfDelivery: proof,
      proceededWithoutProof: proof === null,
    },
  };
}
/** With the delivery slip: a free replacement under the product warranty. */
const FREE_REPLACEMENT: Assessment = {
  ...fixtureAssessment(PROOF),
  coverage: 'product_warranty',
  reasons: ['within_product_warranty'],
  disposition: 'repair',
  scheme: 'replacement',
  billing: 'free',
  chargeLines: [],
  offers: [],
  awaitingProof: false,
  quoteRequired: false,
};
/** Without proof of the delivery date, by the partner's choice: the same replacement, paid, priced by a quote. */
const PAID_WITHOUT_PROOF: Assessment = {
  ...fixtureAssessment(null),
  coverage: 'product_warranty',
  reasons: ['within_product_warranty', 'proceeded_without_proof'],
  disposition: 'repair',
  scheme: 'replacement',
  billing: 'chargeable',
  chargeLines: [{ kind: 'replacement_unit', description: 'Replacement unit (paid)', amountJpy: null }],
  offers: [{ kind: 'paid_repair', description: 'Paid repair (有償修理), priced by a quote.' }],
  awaitingProof: false,
  quoteRequired: true,
};

/** The assessment the partner's command records. */
const assessedAs = (trigger: WarrantyAssessed['data']['trigger'], assessment: Assessment) =>
  event('WarrantyAssessed', { assessment, trigger }, actors.partner);

describe('RequestRepair', () => {
  const d = requestData();
  const { partnerId, unit, failure, site, requestDate, catalog, membership } = d;
  const requested = event(
    'RepairRequested',
    {
      partnerId,
      unit,
      failure,
      site,
      onsiteRequested: false,
      proofOfDelivery: PROOF,
      requestDate,
      catalog,
      membership,
      endUserReference: null,
    },
    actors.partner,
  );
  // prettier-ignore
  ticket.records([
    ['records the request and its warranty assessment', () => [], cmd.requestRepair(), [requested, assessedAs('request', FREE_REPLACEMENT)]],
  ]);

  it('keeps the partner reference for the end user', () => {
    const c = cmd.requestRepair();
    ticket
      .given([])
      .when({ ...c, data: { ...c.data, endUserReference: 'Shop #12' } })
      .thenState((state, events) => {
        expect(events[0]).toMatchObject({ data: { endUserReference: 'Shop #12' } });
        expect(state).toMatchObject({ status: 'requested', partnerId: 'P-001', ticketId: 'T-0001' });
      });
  });

  it('may be filed by customer support on a partner’s behalf', () => {
    ticket
      .given([])
      .when(cmd.requestRepair({}, actors.support))
      .thenState((state, events) => {
        expect(events[0]?.data.by).toBe('support:tanaka');
        expect(state.partnerId).toBe('P-001');
      });
  });

  it('rejects an unrepairable model at once, advising to buy new', () => {
    ticket
      .given([])
      .when(cmd.requestRepair({ model: 'WV-SDA128G' }))
      .thenState((state, events) => {
        expect(events.map((e) => e.type)).toEqual(['RepairRequested', 'WarrantyAssessed', 'RepairRejected']);
        expect(events[2]).toMatchObject({ data: { reason: 'unrepairable_model', advice: 'buy_new' } });
        expect(state.status).toBe('rejected');
      });
  });

  const softwareOnly = cmd.requestRepair({ failure: { component: 'software_only' } });
  const caseAndSpaces = cmd.requestRepair({
    unit: { modelNumber: 'wv-s 1136' },
    catalog: stories.catalogFact('WV-S1136'),
  });
  // prettier-ignore
  ticket.leadsTo([
    ['may be filed by the support portal', () => [], cmd.requestRepair({}, actors.portal), { status: 'requested' }],
    ['refers a software-only fault to software support', () => [], softwareOnly, { status: 'referred_to_software_support', scheme: 'none' }],
    ['holds a request without proof as awaiting proof', () => [], cmd.requestRepair({ proofOfDelivery: null }), { status: 'awaiting_proof' }],
    ['accepts a catalog entry whose model number differs only in case and spaces', () => [], caseAndSpaces, { scheme: 'replacement' }],
  ]);

  const notBoolean = 'yes' as unknown as boolean;
  const invalid: ReadonlyArray<readonly [string, RequestOverrides]> = [
    ['ticketId', { ticketId: ' ' }],
    ['partnerId', { partnerId: '' }],
    ['unit.serialNumber', { unit: { serialNumber: '' } }],
    ['unit.modelNumber', { unit: { modelNumber: '' }, catalog: { version: 'v', entry: null } }],
    ['unit.deliveryDate', { unit: { deliveryDate: '2026-02-30' } }],
    ['unit.soldToPartnerId', { unit: { soldToPartnerId: '' } }],
    ['unit.saleDate', { unit: { saleDate: '2026/02/01' } }],
    ['unit.soldInJapan', { unit: { soldInJapan: notBoolean } }],
    ['unit.usedInJapan', { unit: { usedInJapan: notBoolean } }],
    ['failure.failureDate', { failure: { failureDate: 'yesterday' } }],
    ['failure.description', { failure: { description: '' } }],
    ['failure.component', { failure: { component: 'firmware' as 'main_unit' } }],
    ['requestDate', { requestDate: '' }],
    ['catalog.version', { catalog: { version: '', entry: null } }],
    ['catalog.entry.modelNumber', { model: 'WV-S1136', catalog: stories.catalogFact('WV-X1574LN') }],
    ['failure.component', { model: 'WV-S1136', failure: { component: 'recorder_hdd' } }],
    ['membership.partnerId', { membership: { partnerId: 'P-777' } }],
    ['membership.saleDate', { membership: { saleDate: '2026-01-01' } }],
    ['membership.memberAtSaleDate', { membership: { memberAtSaleDate: notBoolean } }],
    ['proofOfDelivery.kind', { proofOfDelivery: { kind: 'photo' as 'other', reference: 'X' } }],
    ['proofOfDelivery.reference', { proofOfDelivery: { kind: 'invoice', reference: '' } }],
    ['site.prefecture', { site: { prefecture: '' } }],
    ['site.remoteArea', { site: { remoteArea: notBoolean } }],
    ['onsiteRequested', { onsiteRequested: notBoolean }],
    ['requestDate', { requestDate: '2026-11-26' }],
    ['unit.saleDate', { unit: { saleDate: '2026-03-11' } }],
    ['failure.failureDate', { failure: { failureDate: '2026-03-09' } }],
    ['failure.failureDate', { failure: { failureDate: '2026-11-25' }, requestDate: '2026-11-24' }],
  ];
  it.each(invalid)('names %s when it is invalid', (field, overrides) => {
    // Filed by support, so that the partner-name check does not answer first.
    ticket
      .given([])
      .when(cmd.requestRepair(overrides, actors.support))
      .thenThrows(ValidationError, { field });
  });

  // prettier-ignore
  ticket.refuses([
    ['is refused to an end user: requests come through a partner', () => [], cmd.requestRepair({}, actors.endUser), NotAllowedError, { actor: 'end_user:EU-9' }],
    ['is refused to a partner filing in another partner’s name', () => [], cmd.requestRepair({}, actors.otherPartner), NotAllowedError],
    ['cannot be filed twice on the same ticket', stories.requested, cmd.requestRepair(), IllegalTransitionError, { currentStatus: 'requested', attemptedCommand: 'RequestRepair' }],
    ['names metadata.now when the time is not an instant', () => [], { ...cmd.requestRepair(), metadata: meta(actors.partner, 'now') }, ValidationError, { field: 'metadata.now' }],
  ]);
});

describe('a command on a ticket that does not exist', () => {
  // prettier-ignore
  ticket.refuses([
    ['is refused as not found', () => [], cmd.escalate(), TicketNotFoundError],
  ]);
});

describe('SubmitProofOfDelivery', () => {
  const proofSubmitted = event(
    'ProofOfDeliverySubmitted',
    { proof: PROOF, deliveryDate: '2026-03-10' },
    actors.partner,
  );
  // prettier-ignore
  ticket.records([
    ['records the proof and re-assesses the request as free', stories.awaitingProof, cmd.submitProof(), [proofSubmitted, assessedAs('proof_submitted', FREE_REPLACEMENT)]],
  ]);

  const soldEarlier = () => stories.awaitingProof({ unit: { saleDate: '2025-08-01' } });
  // prettier-ignore
  ticket.leadsTo([
    ['moves the ticket on to requested', stories.awaitingProof, cmd.submitProof(), { status: 'requested', assessment: { billing: 'free' } }],
    ['re-assesses with the delivery date the proof shows', soldEarlier, cmd.submitProof({ deliveryDate: '2025-09-01' }), { assessment: { deliveryDate: '2025-09-01', coverage: 'partners_circle_extension' }, assessmentInput: { unit: { deliveryDate: '2025-09-01' } } }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['refuses a proven delivery date after the failure', stories.awaitingProof, cmd.submitProof({ deliveryDate: '2026-11-21' }), BusinessRuleViolationError, { rule: 'failure_before_proven_delivery' }],
    ['refuses a proven delivery date before the sale', stories.awaitingProof, cmd.submitProof({ deliveryDate: '2026-01-15' }), BusinessRuleViolationError, { rule: 'delivery_before_sale' }],
    ['names proof.kind when it is unknown', stories.awaitingProof, cmd.submitProof({ proof: { kind: 'photo' as 'other', reference: 'X' } }), ValidationError, { field: 'proof.kind' }],
    ['names proof.reference when it is empty', stories.awaitingProof, cmd.submitProof({ proof: { kind: 'invoice', reference: '' } }), ValidationError, { field: 'proof.reference' }],
    ['names deliveryDate when it is not a date', stories.awaitingProof, cmd.submitProof({ deliveryDate: '10 March' }), ValidationError, { field: 'deliveryDate' }],
    ['is refused when no proof is awaited', stories.requested, cmd.submitProof(), IllegalTransitionError],
    ['is refused to another partner', stories.awaitingProof, cmd.submitProof({}, actors.otherPartner), NotAllowedError],
  ]);
});

describe('ProceedWithoutProof', () => {
  const proceeded = event('ProceededWithoutProof', { note: 'slip lost' }, actors.partner);
  // prettier-ignore
  ticket.records([
    ['records the choice and re-assesses the request as chargeable', stories.awaitingProof, cmd.proceedWithoutProof(), [proceeded, assessedAs('proceeded_without_proof', PAID_WITHOUT_PROOF)]],
  ]);

  const proceededAwaiting = () =>
    history(cmd.requestRepair({ proofOfDelivery: null }), cmd.proceedWithoutProof());
  // prettier-ignore
  ticket.leadsTo([
    ['leads to a quote once escalated', proceededAwaiting, cmd.escalate(), { status: 'awaiting_quote', assessment: { billing: 'chargeable', quoteRequired: true } }],
    ['may be recorded by customer support for the partner', stories.awaitingProof, cmd.proceedWithoutProof(actors.support), { status: 'requested' }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['is refused when no proof is awaited', stories.requested, cmd.proceedWithoutProof(), IllegalTransitionError],
  ]);
});

describe('Escalate', () => {
  // prettier-ignore
  ticket.records([
    ['hands a free ticket to customer support', stories.requested, cmd.escalate(), [event('Escalated', { note: null }, actors.portal)]],
  ]);
  const soldAbroad = () => stories.requested({ unit: { soldInJapan: false } });
  // prettier-ignore
  ticket.leadsTo([
    ['puts a chargeable ticket in line for a quote', soldAbroad, cmd.escalate(), { status: 'awaiting_quote', resumeStatus: 'escalated' }],
    ['may be done by customer support', stories.requested, cmd.escalate(actors.support), { status: 'escalated' }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['is refused to a partner', stories.requested, cmd.escalate(actors.partner), NotAllowedError],
    ['is refused while proof is awaited', stories.awaitingProof, cmd.escalate(), IllegalTransitionError],
    ['is refused twice', stories.escalated, cmd.escalate(), IllegalTransitionError],
  ]);
});
