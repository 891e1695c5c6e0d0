import { sampleCatalog } from '@app/domain';
import type { Response } from 'supertest';
import { daysAgo } from '../support/dates';
import { catalogVersionOf, loadReferenceData, PARTNER_A, saleRecordOf } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A reference write answers with the record it created or changed, as its GET shows it (issue #16): 201 with
 * `Location` for a creation, 200 for a change. A retry with the same Idempotency-Key gets the first answer,
 * even after later changes to the record.
 */
describe('reference writes answer with the resource', () => {
  let t: TestApp;
  const catalog = sampleCatalog();
  const post = (path: string, body: object, key?: string): Promise<Response> => {
    const req = t.http.post(path).set('authorization', `Bearer ${t.tokens.support}`);
    return (key === undefined ? req : req.set('idempotency-key', key)).send(body);
  };
  const get = (path: string): Promise<Response> =>
    t.http.get(path).set('authorization', `Bearer ${t.tokens.support}`);

  beforeAll(async () => {
    t = await startTestApp('server');
    await loadReferenceData(t);
  });
  afterAll(async () => t?.close());

  it('registering a partner: 201, Location of the partner, the partner as its GET shows it', async () => {
    const res = await post('/partners', { partnerId: 'P-W-1', name: '株式会社 書込' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/partners/P-W-1');
    expect(res.body).toEqual({
      partnerId: 'P-W-1',
      name: '株式会社 書込',
      certifiedOn: null,
      memberships: [],
      revision: 0,
    });
    expect((await get(res.headers.location!)).body).toEqual(res.body);
  });

  it('a partner change: 200 with the changed partner; its retry answers as it did then', async () => {
    await post('/partners', { partnerId: 'P-W-2', name: 'circle partner' });
    const joined = await post('/partners/P-W-2/join-partners-circle', { date: daysAgo(40) }, 'w2-join');
    expect(joined.status).toBe(200);
    expect(joined.headers.location).toBeUndefined();
    expect(joined.body).toEqual({
      partnerId: 'P-W-2',
      name: 'circle partner',
      certifiedOn: null,
      memberships: [{ joinedOn: daysAgo(40), leftOn: null }],
      revision: 1,
    });
    expect((await get('/partners/P-W-2')).body).toEqual(joined.body);

    const certified = await post('/partners/P-W-2/certify', { date: daysAgo(3) });
    expect(certified.body).toMatchObject({ certifiedOn: daysAgo(3), revision: 2 });
    const left = await post('/partners/P-W-2/leave-partners-circle', { date: daysAgo(1) });
    expect(left.body).toMatchObject({
      memberships: [{ joinedOn: daysAgo(40), leftOn: daysAgo(1) }],
      revision: 3,
    });
    expect((await get('/partners/P-W-2')).body).toEqual(left.body);

    // The join's answer was lost: its retry is the join's answer, not today's record.
    const retried = await post('/partners/P-W-2/join-partners-circle', { date: daysAgo(40) }, 'w2-join');
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body).toEqual(joined.body);
  });

  it('recording a sale: 201, Location of the sales record, the record; a retry gets the same', async () => {
    const sale = {
      serialNumber: 'SN W/1',
      modelNumber: 'WV-S1136',
      partnerId: PARTNER_A,
      saleDate: daysAgo(12),
      soldInJapan: true,
    };
    const res = await post('/unit-sales', sale, 'w-sale-1');
    expect(res.status).toBe(201);
    // One path segment, whatever the serial holds.
    expect(res.headers.location).toBe('/unit-sales/SN%20W%2F1');
    expect(res.body).toEqual(saleRecordOf(sale));
    expect((await get(res.headers.location!)).body).toEqual(res.body);

    const retried = await post('/unit-sales', sale, 'w-sale-1');
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.headers.location).toBe(res.headers.location);
    expect(retried.body).toEqual(res.body);
  });

  it('publishing a catalog version: 201, Location of the version, the version with its entries', async () => {
    const version = { version: '2026 Q1/β', publishedAt: '2026-01-05', entries: catalog.entries };
    const res = await post('/catalog/versions', version);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/catalog/versions/2026%20Q1%2F%CE%B2');
    expect(res.body).toMatchObject(catalogVersionOf(version));
    // recordedAt is when the store recorded it: the same instant the GET shows.
    expect((await get(res.headers.location!)).body).toEqual(res.body);
  });
});
