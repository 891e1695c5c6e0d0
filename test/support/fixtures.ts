import { sampleCatalog } from '@app/domain';
import type { TestApp } from './test-app';
import { daysAgo, yearsAgo } from './dates';

/** Reference data for the scenarios, loaded through the API as support staff would. */
export const PARTNER_A = 'PA-MEMBER';
export const PARTNER_B = 'PB-OTHER';

export interface UnitFixture {
  readonly serialNumber: string;
  readonly modelNumber: string;
  readonly saleDate: string;
  readonly deliveryDate: string;
}

/** Units sold to PARTNER_A (a Partners Circle member since long before every sale). */
export const UNITS = {
  /** replacement camera, year 1 */
  cameraReplacement: {
    serialNumber: 'E2E-CAM-R-1',
    modelNumber: 'WV-S1136',
    saleDate: daysAgo(200),
    deliveryDate: daysAgo(190),
  },
  /** pickup camera, year 3 (Partners Circle extension) */
  cameraPickup: {
    serialNumber: 'E2E-CAM-P-1',
    modelNumber: 'WV-X1574LN',
    saleDate: yearsAgo(3, -10),
    deliveryDate: yearsAgo(3),
  },
  /** recorder, year 1: onsite, HDD included */
  recorderYear1: {
    serialNumber: 'E2E-NVR-1',
    modelNumber: 'WJ-NX400',
    saleDate: daysAgo(120),
    deliveryDate: daysAgo(100),
  },
  /** camera delivered over six years ago: paid repair */
  cameraOld: {
    serialNumber: 'E2E-CAM-OLD',
    modelNumber: 'WV-X1574LN',
    saleDate: yearsAgo(7, -10),
    deliveryDate: yearsAgo(7),
  },
} satisfies Record<string, UnitFixture>;

/** A second partner's unit, to check that partners cannot see each other's tickets. */
export const UNIT_B: UnitFixture = {
  serialNumber: 'E2E-CAM-B-1',
  modelNumber: 'WV-S1136',
  saleDate: daysAgo(90),
  deliveryDate: daysAgo(80),
};

/** Needs only an HTTP client and a support token (the HTTP benchmark calls it on a listening app). */
export async function loadReferenceData(
  t: Pick<TestApp, 'http'> & { readonly tokens: Pick<TestApp['tokens'], 'support'> },
): Promise<void> {
  const post = async (path: string, body: object): Promise<void> => {
    const res = await t.http.post(path).set('authorization', `Bearer ${t.tokens.support}`).send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const catalog = sampleCatalog();
  await post('/catalog/versions', {
    version: catalog.version,
    publishedAt: catalog.publishedAt,
    entries: catalog.entries,
  });
  await post('/partners', { partnerId: PARTNER_A, name: 'E2E member partner' });
  await post(`/partners/${PARTNER_A}/join-partners-circle`, { date: yearsAgo(10) });
  await post('/partners', { partnerId: PARTNER_B, name: 'E2E other partner' });
  for (const u of Object.values(UNITS)) {
    await post('/unit-sales', {
      serialNumber: u.serialNumber,
      modelNumber: u.modelNumber,
      partnerId: PARTNER_A,
      saleDate: u.saleDate,
      soldInJapan: true,
    });
  }
  await post('/unit-sales', {
    serialNumber: UNIT_B.serialNumber,
    modelNumber: UNIT_B.modelNumber,
    partnerId: PARTNER_B,
    saleDate: UNIT_B.saleDate,
    soldInJapan: true,
  });
}

/** A recorded sale as the api answers with it and shows it (`GET /unit-sales/{serial}`): the serial as `serial`. */
export function saleRecordOf<S extends { readonly serialNumber: string }>({
  serialNumber,
  ...sale
}: S): Omit<S, 'serialNumber'> & { serial: string } {
  return { serial: serialNumber, ...sale };
}

/** A published catalog version as the api answers with it and shows it, but for the store's `recordedAt`. */
export function catalogVersionOf<V extends { readonly entries: readonly unknown[] }>(
  version: V,
): V & { entryCount: number } {
  return { ...version, entryCount: version.entries.length };
}

/** A repair request body for a unit; override any field. */
export function repairRequest(
  unit: UnitFixture,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    serialNumber: unit.serialNumber,
    modelNumber: unit.modelNumber,
    deliveryDate: unit.deliveryDate,
    proofOfDelivery: { kind: 'delivery_slip', reference: `DS-${unit.serialNumber}` },
    failureDate: daysAgo(2),
    failureDescription: 'no video output after power cycle',
    failedComponent: 'main_unit',
    site: { prefecture: '大阪府', remoteArea: false },
    onsiteRequested: false,
    ...overrides,
  };
}

/**
 * One open ticket per unit (issue #13): a scenario that files another ticket while an earlier one of the same
 * unit is still open needs a unit of its own. This records a sale to PARTNER_A of a copy of `base` under a new
 * serial (`<base serial>-<tag>`), with the same model and dates, and returns it.
 */
export async function registerUnit(
  t: Pick<TestApp, 'http'> & { readonly tokens: Pick<TestApp['tokens'], 'support'> },
  base: UnitFixture,
  tag: string,
  partnerId = PARTNER_A,
): Promise<UnitFixture> {
  const unit = { ...base, serialNumber: `${base.serialNumber}-${tag}` };
  const res = await t.http.post('/unit-sales').set('authorization', `Bearer ${t.tokens.support}`).send({
    serialNumber: unit.serialNumber,
    modelNumber: unit.modelNumber,
    partnerId,
    saleDate: unit.saleDate,
    soldInJapan: true,
  });
  if (res.status >= 300) throw new Error(`unit-sales: ${res.status} ${JSON.stringify(res.body)}`);
  return unit;
}
