import { daysAgo } from '../support/dates';
import { registerUnit, repairRequest, UNITS } from '../support/fixtures';
import type { TestDatabase } from '../support/test-app';
import { useTicketApp } from './ticket-client';

const ship = { carrier: 'Yamato Transport', trackingNumber: '4455-6677-8899' };

/** What repair flows leave in the read models, on the PostgreSQL server and on embedded PGlite. */
describe.each<TestDatabase>(['server', 'pglite'])('repair flows in the read models (%s)', (database) => {
  const app = useTicketApp(database);

  it('the dashboard summarises open tickets per scheme and status, onsite visits and replacements in transit', async () => {
    type Summary = {
      openTotal: number;
      openTickets: { scheme: string; status: string; count: number }[];
      aging: { bucket: string; count: number }[];
      meanTimeToResolution: { scheme: string; closed: number }[];
      replacementsInTransit: number;
      onsiteVisitsScheduled: { count: number; byDate: { visitDate: string; count: number }[] };
    };
    const summary = async (): Promise<Summary> => {
      const res = await app.t.http
        .get('/dashboard/summary')
        .set('authorization', `Bearer ${app.t.tokens.ops}`);
      expect(res.status).toBe(200);
      expect(res.body.projectionLag).toMatchObject({ eventsBehind: 0, running: true });
      return res.body as Summary;
    };
    // What three known changes do to the figures, so the check holds whatever the earlier tests left.
    const before = await summary();
    const shipped = await app.partner.file(
      repairRequest(await registerUnit(app.t, UNITS.cameraReplacement, 'dash')),
    );
    await app.support.act(shipped.ticketId, 'ship-replacement', { ...ship, replacementSerial: 'RPL-DASH' });
    const visitDate = daysAgo(-3);
    const onsite = await app.partner.file(
      repairRequest(await registerUnit(app.t, UNITS.recorderYear1, 'dash'), {
        failedComponent: 'recorder_hdd',
      }),
    );
    await app.support.act(onsite.ticketId, 'dispatch-onsite', { technicianName: 'Sato', visitDate });
    const closed = await app.partner.file(
      repairRequest(await registerUnit(app.t, UNITS.cameraReplacement, 'dash-c')),
    );
    await app.support.act(closed.ticketId, 'reject-repair', { reason: 'beyond_repair', detail: 'x' });
    await app.support.act(closed.ticketId, 'close-ticket', {});
    const after = await summary();

    const open = (s: Summary, scheme: string, status: string): number =>
      s.openTickets.find((r) => r.scheme === scheme && r.status === status)?.count ?? 0;
    const bucket = (s: Summary): number => s.aging.find((a) => a.bucket === '0-2d')?.count ?? 0;
    const visits = (s: Summary): number =>
      s.onsiteVisitsScheduled.byDate.find((v) => v.visitDate === visitDate)?.count ?? 0;
    const closedReplacements = (s: Summary): number =>
      s.meanTimeToResolution.find((m) => m.scheme === 'replacement')?.closed ?? 0;
    const delta = (f: (s: Summary) => number): number => f(after) - f(before);
    expect({
      openTotal: delta((s) => s.openTotal),
      replacementInTransit: delta((s) => open(s, 'replacement', 'in_transit_to_partner')),
      onsiteDispatched: delta((s) => open(s, 'onsite_repair', 'onsite_dispatched')),
      replacementsInTransit: delta((s) => s.replacementsInTransit),
      onsiteVisits: delta((s) => s.onsiteVisitsScheduled.count),
      visitsOnThatDay: delta(visits),
      newestAgeBucket: delta(bucket),
      closedReplacements: delta(closedReplacements),
    }).toEqual({
      openTotal: 2,
      replacementInTransit: 1,
      onsiteDispatched: 1,
      replacementsInTransit: 1,
      onsiteVisits: 1,
      visitsOnThatDay: 1,
      newestAgeBucket: 2,
      closedReplacements: 1,
    });
    expect(after.openTotal).toBe(after.openTickets.reduce((n, r) => n + r.count, 0));
    expect(after.openTotal).toBe(after.aging.reduce((n, a) => n + a.count, 0));
  });

  it('rebuilding the read models from the events yields identical tables', async () => {
    const tables = [
      'ticket_summary',
      'ticket_event',
      'partner_view',
      'unit_sale_view',
      'catalog_version_view',
    ];
    const snapshot = async (): Promise<Record<string, unknown[]>> => {
      const out: Record<string, unknown[]> = {};
      for (const table of tables) {
        out[table] = await app.t.sql(
          `SELECT to_jsonb(x) AS row FROM "${app.t.schemas.readModels}"."${table}" x ORDER BY 1`,
        );
      }
      return out;
    };
    const before = await snapshot();
    // One history row per stored ticket event, so the comparison below covers the whole history.
    const [stored] = await app.t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM "${app.t.schemas.events}".events WHERE stream LIKE 'ticket-%'`,
    );
    expect(before.ticket_event!.length).toBe(Number(stored?.n));
    expect(before.ticket_event!.length).toBeGreaterThan(10);
    await app.t.started.runtime.projections.rebuild();
    expect(await snapshot()).toEqual(before);
  });
});
