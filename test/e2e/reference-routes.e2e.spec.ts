import { sampleCatalog } from '@app/domain';
import type { Response } from 'supertest';
import type { Role } from '../../apps/api/src/auth/token';
import { daysAgo, yearsAgo } from '../support/dates';
import { loadReferenceData, PARTNER_A, repairRequest, type UnitFixture } from '../support/fixtures';
import { type Route, routeTable } from '../support/route-table';
import { startTestApp, type TestApp } from '../support/test-app';
import { TicketClient } from './ticket-client';

/**
 * Reference data over HTTP: who may call each route (from the router's role table, which is itself held to
 * the policy below), what a bad body answers, and the Partners Circle rule end to end — membership at the
 * sale date decides the 5-year extension (DOMAIN.md), so a sale after the partner left gets none.
 */

const ROLES: readonly Role[] = ['partner', 'support', 'ops', 'auditor'];

/**
 * The policy, written once: i-PRO staff (support) maintain reference data; staff roles read it; partners also
 * read the catalog (its covered list is public to them). The router's @Roles must say exactly this.
 */
const REFERENCE_POLICY: Readonly<Record<string, readonly Role[]>> = {
  'POST /partners': ['support'],
  'POST /partners/{partnerId}/join-partners-circle': ['support'],
  'POST /partners/{partnerId}/leave-partners-circle': ['support'],
  'POST /partners/{partnerId}/certify': ['support'],
  'GET /partners': ['support', 'ops', 'auditor'],
  'GET /partners/{partnerId}': ['support', 'ops', 'auditor'],
  'POST /unit-sales': ['support'],
  'GET /unit-sales/{serial}': ['support', 'ops', 'auditor'],
  'POST /catalog/versions': ['support'],
  'GET /catalog/versions': ['support', 'ops', 'auditor', 'partner'],
  'GET /catalog/versions/{version}': ['support', 'ops', 'auditor', 'partner'],
};
const isReference = (path: string): boolean => /^\/(partners|unit-sales|catalog)(\/|$)/.test(path);

describe('reference data routes: roles, validation, membership changes (PGlite)', () => {
  let t: TestApp;
  let routes: Route[];
  const catalog = sampleCatalog();
  let seq = 0;
  const eventCount = async (): Promise<number> =>
    Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM "${t.schemas.events}".events`))[0]?.n);
  const tokenOf = (role: Role): string => (role === 'partner' ? t.tokens.partner(PARTNER_A) : t.tokens[role]);
  const post = (path: string, body: object, token = t.tokens.support): Promise<Response> =>
    t.http.post(path).set('authorization', `Bearer ${token}`).send(body);
  const get = (path: string, token = t.tokens.support): Promise<Response> =>
    t.http.get(path).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startTestApp('pglite');
    await loadReferenceData(t);
    routes = routeTable(t).filter((r) => isReference(r.path));
  });
  afterAll(async () => t?.close());

  it('the router gives every reference route exactly the roles of the policy', () => {
    const table = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, [...r.roles].sort()]));
    const policy = Object.fromEntries(
      Object.entries(REFERENCE_POLICY).map(([k, roles]) => [k, [...roles].sort()]),
    );
    expect(table).toEqual(policy);
  });

  /** A request that succeeds for an allowed caller: a fresh record each time, so a command never repeats. */
  async function validRequest(route: Route): Promise<{ path: string; body?: object; status: number }> {
    const n = ++seq;
    const partnerId = `P-ROLE-${n}`;
    const needsPartner = route.params.includes('partnerId');
    if (needsPartner) {
      expect((await post('/partners', { partnerId, name: `role partner ${n}` })).status).toBe(201);
      if (route.path.endsWith('leave-partners-circle'))
        expect(
          (await post(`/partners/${partnerId}/join-partners-circle`, { date: daysAgo(30) })).status,
        ).toBe(200);
    }
    const path = route.path
      .replace('{partnerId}', partnerId)
      .replace('{serial}', 'SN-ROLE-0')
      .replace('{version}', catalog.version);
    switch (`${route.method} ${route.path}`) {
      case 'POST /partners':
        return { path, body: { partnerId, name: `role partner ${n}` }, status: 201 };
      case 'POST /partners/{partnerId}/join-partners-circle':
      case 'POST /partners/{partnerId}/leave-partners-circle':
      case 'POST /partners/{partnerId}/certify':
        return { path, body: { date: daysAgo(10) }, status: 200 };
      case 'POST /unit-sales':
        return {
          path,
          body: {
            serialNumber: `SN-ROLE-${n}`,
            modelNumber: 'WV-S1136',
            partnerId: PARTNER_A,
            saleDate: daysAgo(5),
            soldInJapan: true,
          },
          status: 201,
        };
      case 'POST /catalog/versions':
        return {
          path,
          body: { version: `role-${n}`, publishedAt: '2020-01-01', entries: catalog.entries },
          status: 201,
        };
      default:
        return { path, status: 200 };
    }
  }

  it('each role the route table names succeeds; every other role is 403 and stores nothing', async () => {
    await post('/unit-sales', {
      serialNumber: 'SN-ROLE-0',
      modelNumber: 'WV-S1136',
      partnerId: PARTNER_A,
      saleDate: daysAgo(5),
      soldInJapan: true,
    });
    const mismatches: string[] = [];
    for (const route of routes)
      for (const role of ROLES) {
        const req = await validRequest(route);
        const before = await eventCount();
        const token = tokenOf(role);
        const res =
          req.body === undefined ? await get(req.path, token) : await post(req.path, req.body, token);
        const stored = (await eventCount()) - before;
        const allowed = route.roles.includes(role);
        const want = allowed ? req.status : 403;
        if (res.status !== want)
          mismatches.push(`${role} ${route.method} ${req.path}: ${res.status}, want ${want}`);
        if (!allowed && stored !== 0)
          mismatches.push(`${role} ${route.method} ${req.path}: stored ${stored}`);
        if (!allowed && res.body.code !== 'forbidden')
          mismatches.push(`${role} ${route.method} ${req.path}: code ${String(res.body.code)}`);
      }
    expect(mismatches).toEqual([]);
  });

  describe('a bad body is a 400 naming the field, and stores nothing', () => {
    const entry = catalog.entries[0]!;
    const sale = {
      serialNumber: 'SN-VAL-1',
      modelNumber: 'WV-S1136',
      partnerId: PARTNER_A,
      saleDate: daysAgo(5),
      soldInJapan: true,
    };
    const cases: [string, string, object, string | RegExp][] = [
      ['partner id with a space', '/partners', { partnerId: 'P 1', name: 'x' }, 'partnerId'],
      ['partner without a name', '/partners', { partnerId: 'P-VAL-1' }, 'name'],
      ['partner with an empty name', '/partners', { partnerId: 'P-VAL-1', name: '' }, 'name'],
      [
        'partner with an unknown field',
        '/partners',
        { partnerId: 'P-VAL-1', name: 'x', tier: 'gold' },
        'tier',
      ],
      [
        'join on an impossible date',
        `/partners/${PARTNER_A}/join-partners-circle`,
        { date: '2025-02-30' },
        'date',
      ],
      ['leave without a date', `/partners/${PARTNER_A}/leave-partners-circle`, {}, 'date'],
      [
        'leave on or before the join date',
        `/partners/${PARTNER_A}/leave-partners-circle`,
        { date: yearsAgo(10) },
        'date',
      ],
      ['certify on a malformed date', `/partners/${PARTNER_A}/certify`, { date: '2025/01/01' }, 'date'],
      ['sale with soldInJapan as text', '/unit-sales', { ...sale, soldInJapan: 'yes' }, 'soldInJapan'],
      ['sale with an empty serial', '/unit-sales', { ...sale, serialNumber: '' }, 'serialNumber'],
      ['sale on an impossible date', '/unit-sales', { ...sale, saleDate: '2025-13-01' }, 'saleDate'],
      [
        'catalog without a version',
        '/catalog/versions',
        { publishedAt: '2024-01-01', entries: [] },
        'version',
      ],
      [
        'catalog entry of an unknown category',
        '/catalog/versions',
        { version: 'val-1', publishedAt: '2024-01-01', entries: [{ ...entry, category: 'toaster' }] },
        /^entries\.0\.category$/,
      ],
      [
        'catalog published on a malformed date',
        '/catalog/versions',
        { version: 'val-2', publishedAt: '01/01/2024', entries: [entry] },
        'publishedAt',
      ],
    ];
    it.each(cases)('%s', async (_, path, body, field) => {
      const before = await eventCount();
      const res = await post(path, body);
      expect(res.status).toBe(400);
      if (typeof field === 'string') expect(res.body.field).toBe(field);
      else expect(res.body.field).toMatch(field);
      expect(await eventCount()).toBe(before);
    });

    it('leaving a circle the partner is not in is 409 illegal_transition (a valid body in the wrong state)', async () => {
      expect((await post('/partners', { partnerId: 'P-VAL-NOT', name: 'never joined' })).status).toBe(201);
      const before = await eventCount();
      const res = await post('/partners/P-VAL-NOT/leave-partners-circle', { date: daysAgo(1) });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'illegal_transition', currentStatus: 'not_member' });
      expect(await eventCount()).toBe(before);
    });

    it.each([
      ['/partners/NOPE-1', 'partner_not_found'],
      ['/unit-sales/NOPE-1', 'sale_not_found'],
      ['/catalog/versions/NOPE-1', 'catalog_version_not_found'],
    ])('GET %s of an unknown record is 404 %s', async (path, code) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe(code);
    });
  });

  describe('membership changes: the Partners Circle at the sale date decides the 5-year extension', () => {
    const P = 'P-CIRCLE';
    const joined = yearsAgo(6);
    /** First day without membership (DOMAIN.md decision on `leftOn`): two years ago, 30 days in. */
    const left = yearsAgo(2, 30);
    const unitSoldOn = (serialNumber: string, saleDate: string): UnitFixture => ({
      serialNumber,
      modelNumber: 'WV-X1574LN', // a pickup camera on the sample covered list
      saleDate,
      deliveryDate: yearsAgo(2, 60),
    });
    const before = unitSoldOn('SN-CIRCLE-IN', yearsAgo(2, 29)); // the last day of membership
    const onLeaving = unitSoldOn('SN-CIRCLE-ON', left);
    const after = unitSoldOn('SN-CIRCLE-AFTER', yearsAgo(2, 45));
    const sell = async (u: UnitFixture): Promise<void> => {
      const res = await post('/unit-sales', {
        serialNumber: u.serialNumber,
        modelNumber: u.modelNumber,
        partnerId: P,
        saleDate: u.saleDate,
        soldInJapan: true,
      });
      expect(res.status).toBe(201);
    };
    const fileFor = async (u: UnitFixture) =>
      new TicketClient(t, t.tokens.partner(P)).file(repairRequest(u, { failureDate: daysAgo(2) }));

    it('joins, sells (extension), leaves; a sale on or after the leaving day gets none, an earlier one keeps it', async () => {
      expect((await post('/partners', { partnerId: P, name: 'circle partner' })).status).toBe(201);
      expect((await post(`/partners/${P}/join-partners-circle`, { date: joined })).status).toBe(200);
      await sell(before);
      // In the circle at the sale: delivered about two years ago, failed now → year 2–5, the extension.
      const inCircle = await fileFor(before);
      expect(inCircle).toMatchObject({ coverage: 'partners_circle_extension', scheme: 'pickup_repair' });
      expect(inCircle.assessment?.billing).toBe('free');

      const leave = await post(`/partners/${P}/leave-partners-circle`, { date: left });
      expect(leave.status).toBe(200);
      expect((await get(`/partners/${P}`)).body).toMatchObject({
        memberships: [{ joinedOn: joined, leftOn: left }],
      });

      await sell(onLeaving);
      await sell(after);
      for (const u of [onLeaving, after]) {
        const filed = await fileFor(u);
        expect(filed).toMatchObject({ coverage: 'out_of_warranty', status: 'awaiting_quote' });
        expect(filed.assessment).toMatchObject({
          billing: 'chargeable',
          reasons: ['after_product_warranty_no_extension', 'not_partners_circle_member_at_sale'],
          basis: {
            membership: { partnerId: P, saleDate: u.saleDate, memberAtSaleDate: false, period: null },
          },
        });
      }

      // Leaving later does not take the extension from a unit sold while in the circle: the warranty
      // status of the first unit, read after the partner left, still grants it.
      const status = await get(`/warranty/${before.serialNumber}?deliveryDate=${before.deliveryDate}`);
      expect(status.body).toMatchObject({
        coverage: 'partners_circle_extension',
        membership: { memberAtSaleDate: true, period: { joinedOn: joined, leftOn: left } },
      });
    });
  });
});
