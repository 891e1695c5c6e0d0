import { daysAgo, tokyoToday } from '../support/dates';
import { loadReferenceData, PARTNER_A, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue #14: reference data is checked against itself, by one rule in the domain that the api and the CSV
 * import share (the import's side is in apps/cli/test/import-cli.e2e.spec.ts).
 */
describe('reference data rules over HTTP (server)', () => {
  let t: TestApp;
  const support = (): [string, string] => ['authorization', `Bearer ${t.tokens.support}`];
  const sale = (overrides: Record<string, unknown>) => ({
    serialNumber: `SN-RULES-${Math.random().toString(36).slice(2, 10)}`,
    modelNumber: UNITS.cameraPickup.modelNumber,
    partnerId: PARTNER_A,
    saleDate: daysAgo(3),
    soldInJapan: true,
    ...overrides,
  });
  const eventCount = async (): Promise<number> =>
    Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM "${t.schemas.events}".events`))[0]?.n);

  beforeAll(async () => {
    t = await startTestApp('server');
    await loadReferenceData(t);
  });
  afterAll(async () => t?.close());

  it.each([
    [
      'an unregistered partner (a typo would drop the 5-year extension)',
      { partnerId: 'PA-MEMBR' },
      'partnerId',
    ],
    ['a model in no published catalog version', { modelNumber: 'WV-NOPE-1' }, 'modelNumber'],
    ['a sale date after today in Japan', { saleDate: daysAgo(-1) }, 'saleDate'],
  ])('a unit sale naming %s is 400 naming the field, and stores nothing', async (_, overrides, field) => {
    const before = await eventCount();
    const res = await t.http
      .post('/unit-sales')
      .set(...support())
      .send(sale(overrides));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', field });
    expect(await eventCount()).toBe(before);
  });

  it('a sale of a catalog model (any spelling of spaces and case) to a registered partner, dated today, is recorded', async () => {
    const body = sale({
      modelNumber: ` ${UNITS.cameraPickup.modelNumber.toLowerCase()} `,
      saleDate: tokyoToday(),
    });
    const res = await t.http
      .post('/unit-sales')
      .set(...support())
      .send(body);
    expect(res.status).toBe(201);
  });

  it.each(['join-partners-circle', 'leave-partners-circle', 'certify'])(
    '%s of a partner nobody registered is 404, and stores nothing',
    async (action) => {
      const before = await eventCount();
      const res = await t.http
        .post(`/partners/NOPE-${action}/${action}`)
        .set(...support())
        .send({ date: daysAgo(1) });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('partner_not_found');
      expect(await eventCount()).toBe(before);
    },
  );

  it('a catalog entry must carry every field the OpenAPI document marks required (repairScheme may be null)', async () => {
    const entry = {
      modelNumber: 'WV-RULES-1',
      name: 'rules camera',
      category: 'camera',
      onCoveredList: true,
      productWarranty: true,
      repairable: true,
    };
    const version = (v: string, e: object) => ({ version: v, publishedAt: daysAgo(1), entries: [e] });
    const missing = await t.http
      .post('/catalog/versions')
      .set(...support())
      .send(version('rules-1', entry));
    expect(missing.status).toBe(400);
    expect(missing.body.field).toMatch(/repairScheme/);
    const withNull = await t.http
      .post('/catalog/versions')
      .set(...support())
      .send(version('rules-2', { ...entry, repairable: false, onCoveredList: false, repairScheme: null }));
    expect(withNull.status).toBe(201);
  });
});
