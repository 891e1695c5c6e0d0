import { addDays, anniversary, type CalendarDate, isWithin } from '../shared/calendar';
import {
  type Assessment,
  type AssessmentInput,
  type Billing,
  type ChargeLine,
  type Coverage,
  type Offer,
  type Period,
  type ReasonCode,
  type RepairScheme,
} from './warranty-assessment';

/**
 * The two warranty periods of a unit delivered on `deliveryDate` (decision 2): the product warranty covers
 * delivery .. delivery + 1 year − 1 day, the Partners Circle extension the next 4 years. A Feb 29 delivery's
 * anniversary in a common year is Mar 1, so its periods end on Feb 28. The periods are contiguous.
 */
export function warrantyPeriods(deliveryDate: CalendarDate): {
  readonly productWarranty: Period;
  readonly partnersCircleExtension: Period;
} {
  const firstAnniversary = anniversary(deliveryDate, 1);
  return {
    productWarranty: { start: deliveryDate, end: addDays(firstAnniversary, -1) },
    partnersCircleExtension: { start: firstAnniversary, end: addDays(anniversary(deliveryDate, 5), -1) },
  };
}

function coverageAt(input: AssessmentInput, productWarranty: boolean, extensionGranted: boolean) {
  const reasons: ReasonCode[] = [];
  const { unit, failure, catalog, membership } = input;
  const periods = warrantyPeriods(unit.deliveryDate);
  // Why no extension, stated whenever it is missing, so the ticket tells the partner what to fix.
  if (catalog.entry === null) reasons.push('model_not_in_catalog');
  else if (!catalog.entry.onCoveredList) reasons.push('model_not_on_covered_list');
  if (!membership.memberAtSaleDate) reasons.push('not_partners_circle_member_at_sale');

  let coverage: Coverage;
  if (!unit.soldInJapan || !unit.usedInJapan) {
    coverage = 'not_eligible';
    reasons.unshift('not_sold_or_used_in_japan');
  } else if (!productWarranty) {
    coverage = 'not_eligible';
    reasons.unshift('excluded_from_product_warranty');
  } else if (isWithin(failure.failureDate, periods.productWarranty)) {
    // Year 1: the product warranty covers everything, the recorder HDD included.
    coverage = 'product_warranty';
    reasons.unshift('within_product_warranty');
  } else if (extensionGranted && isWithin(failure.failureDate, periods.partnersCircleExtension)) {
    if (failure.component === 'recorder_hdd') {
      coverage = 'out_of_warranty';
      reasons.unshift('recorder_hdd_not_covered_by_extension');
    } else {
      coverage = 'partners_circle_extension';
      reasons.unshift('within_partners_circle_extension');
    }
  } else {
    coverage = 'out_of_warranty';
    reasons.unshift(
      extensionGranted ? 'after_partners_circle_extension' : 'after_product_warranty_no_extension',
    );
  }
  return { coverage, reasons };
}

function schemeFor(input: AssessmentInput, coverage: Coverage, reasons: ReasonCode[]): RepairScheme {
  const entry = input.catalog.entry;
  if (entry?.category === 'recorder') {
    if (coverage === 'product_warranty') {
      reasons.push('recorder_onsite_in_year_one');
      return 'onsite_repair';
    }
    if (input.onsiteRequested) {
      reasons.push('onsite_on_request_for_fee');
      return 'onsite_repair';
    }
    return 'pickup_repair';
  }
  // Onsite repair is the recorders' scheme (guide, slide 10); for anything else a request for it is noted
  // and the model's own scheme applies. A model missing from the catalog is picked up and inspected.
  if (input.onsiteRequested) reasons.push('onsite_offered_for_recorders_only');
  return entry?.repairScheme ?? 'pickup_repair';
}

const SOFTWARE_SUPPORT: Offer = {
  kind: 'software_support',
  description: 'Software-only fault: contact i-PRO software support (firmware / software updates).',
};
const BUY_NEW: Offer = {
  kind: 'buy_new',
  description: 'This product is not repairable: please buy a new one.',
};
const PAID_REPAIR: Offer = { kind: 'paid_repair', description: 'Paid repair (有償修理), priced by a quote.' };
const HDD_PART_SALE: Offer = {
  kind: 'hdd_part_sale',
  description: 'Replacement HDD sold as a part; only i-PRO-certified partners may fit it themselves.',
};

/**
 * The warranty decision for one request: pure and deterministic (same input, same assessment). Coverage is
 * decided at the failure date (decision 1). Amounts are never invented here: every charge line carries
 * `amountJpy: null` ("to be quoted") and customer support prices it with a quote, because tariffs are not
 * part of the guide.
 */
export function assessWarranty(input: AssessmentInput): Assessment {
  const { catalog, unit, failure, membership, site } = input;
  const entry = catalog.entry;
  const productWarranty = entry === null || entry.productWarranty;
  // Decision 7: a model missing from the catalog, or not on the covered list, gets the product warranty only.
  const extensionGranted =
    productWarranty && membership.memberAtSaleDate && entry !== null && entry.onCoveredList;
  const allPeriods = warrantyPeriods(unit.deliveryDate);
  const base = {
    periods: {
      productWarranty: productWarranty ? allPeriods.productWarranty : null,
      partnersCircleExtension: extensionGranted ? allPeriods.partnersCircleExtension : null,
    },
    failureDate: failure.failureDate,
    requestDate: input.requestDate,
    deliveryDate: unit.deliveryDate,
    basis: {
      catalogVersion: catalog.version,
      catalogEntry: entry,
      membership,
      proofOfDelivery: input.proofOfDelivery,
      proceededWithoutProof: input.proceedWithoutProof,
    },
  };
  const noRepair = {
    scheme: 'none',
    billing: 'none',
    chargeLines: [],
    awaitingProof: false,
    quoteRequired: false,
  } as const;

  // Decision 5: software is outside the hardware warranties; no repair scheme.
  if (failure.component === 'software_only') {
    return {
      ...base,
      ...noRepair,
      coverage: 'not_eligible',
      reasons: ['software_only_fault'],
      disposition: 'software_support',
      offers: [SOFTWARE_SUPPORT],
    };
  }

  const { coverage, reasons } = coverageAt(input, productWarranty, extensionGranted);

  // Brackets, SD cards…: never repaired, whatever the warranty; the customer buys a new one.
  if (entry !== null && !entry.repairable) {
    return {
      ...base,
      ...noRepair,
      coverage,
      reasons: [...reasons, 'unrepairable_model'],
      disposition: 'unrepairable_buy_new',
      offers: [BUY_NEW],
    };
  }

  const covered = coverage === 'product_warranty' || coverage === 'partners_circle_extension';
  let billing: Billing;
  if (!covered) billing = 'chargeable';
  else if (input.proofOfDelivery !== null) billing = 'free';
  else if (input.proceedWithoutProof) {
    billing = 'chargeable';
    reasons.push('proceeded_without_proof');
  } else {
    billing = 'pending_proof';
    reasons.push('awaiting_proof_of_delivery');
  }

  const scheme = schemeFor(input, coverage, reasons);
  const chargeLines: ChargeLine[] = [];
  const offers: Offer[] = [];
  if (billing === 'chargeable') {
    chargeLines.push(
      scheme === 'replacement'
        ? { kind: 'replacement_unit', description: 'Replacement unit (paid)', amountJpy: null }
        : { kind: 'repair', description: `Paid repair of ${unit.modelNumber}`, amountJpy: null },
    );
    offers.push(PAID_REPAIR);
    // Decision 6: a recorder HDD after year 1 is also offered as a part sale.
    if (failure.component === 'recorder_hdd') offers.push(HDD_PART_SALE);
  }
  if (scheme === 'onsite_repair') {
    // Decision 8: the onsite fee (years 2–5 on request, any paid onsite) and the remote-area travel charge
    // are separate lines. Year-1 onsite under the product warranty is free, the travel charge still applies.
    if (coverage !== 'product_warranty' || billing === 'chargeable')
      chargeLines.push({ kind: 'onsite_fee', description: 'Onsite repair fee (出張修理)', amountJpy: null });
    if (site.remoteArea) {
      reasons.push('remote_area_travel_charge');
      chargeLines.push({
        kind: 'remote_area_travel',
        description: `Remote-area travel charge (離島・へき地), ${site.prefecture}`,
        amountJpy: null,
      });
    }
  }
  const awaitingProof = billing === 'pending_proof';
  return {
    ...base,
    coverage,
    reasons,
    disposition: 'repair',
    scheme,
    billing,
    chargeLines,
    offers,
    awaitingProof,
    quoteRequired: !awaitingProof && chargeLines.length > 0,
  };
}
