import { TicketClient } from '../../../test/e2e/ticket-client';
import {
  PARTNER_A,
  registerUnit,
  repairRequest,
  type UnitFixture,
  UNITS,
} from '../../../test/support/fixtures';
import { useCliTestApp } from './cli-test-app';

const TABLES = {
  ticket_summary: 'ticket_id',
  ticket_event: 'global_position',
  partner_view: 'partner_id',
  unit_sale_view: 'serial',
  catalog_version_view: 'version',
} as const;

/**
 * rebuild-projections runs as a real process against the schemas a running api serves from; the api keeps
 * answering and keeps filing tickets throughout, and picks up the swapped tables by itself.
 */
describe('CLI: rebuild-projections beside a running api, verify-projections (server)', () => {
  let partner: TicketClient;
  const cli = useCliTestApp(async ({ t }) => {
    partner = new TicketClient(t, t.tokens.partner(PARTNER_A));
    // One open ticket per unit: each filing here gets a unit of its own.
    for (let i = 0; i < 12; i++)
      await partner.file(
        repairRequest(await registerUnit(t, i % 2 ? UNITS.cameraPickup : UNITS.recorderYear1, `before-${i}`)),
      );
  });
  const dump = async (table: keyof typeof TABLES): Promise<string[]> =>
    (
      await cli.t.sql<{ row: string }>(
        `SELECT to_jsonb(x)::text AS row FROM "${cli.t.schemas.readModels}"."${table}" x ORDER BY "${TABLES[table]}"`,
      )
    ).map((r) => r.row);
  const oid = async (table: string): Promise<string> =>
    (
      await cli.t.sql<{ oid: string }>(`SELECT to_regclass($1)::oid::text AS oid`, [
        `"${cli.t.schemas.readModels}".${table}`,
      ])
    )[0]!.oid;

  it('rebuilds every table aside and swaps it in while the api serves reads and takes new tickets', async () => {
    // Units for the tickets filed during and after the rebuild (one open ticket per unit), registered first so
    // that the reference tables compared below do not change while it runs.
    const spare: UnitFixture[] = [];
    for (let i = 0; i < 60; i++) spare.push(await registerUnit(cli.t, UNITS.cameraPickup, `spare-${i}`));
    const before: Record<string, string[]> = {};
    for (const table of Object.keys(TABLES) as (keyof typeof TABLES)[]) before[table] = await dump(table);
    const oldOid = await oid('ticket_summary');

    const rebuild = cli.run(['rebuild-projections']);
    let finished = false;
    void rebuild.finally(() => (finished = true));
    const filedDuring: string[] = [];
    const statuses: number[] = [];
    while (!finished) {
      const unit = spare.length > 1 ? spare.shift() : undefined;
      if (unit) filedDuring.push((await partner.file(repairRequest(unit))).ticketId);
      statuses.push(
        (await cli.t.http.get('/tickets').set('authorization', `Bearer ${cli.t.tokens.support}`)).status,
      );
      statuses.push(
        (await cli.t.http.get('/dashboard/summary').set('authorization', `Bearer ${cli.t.tokens.ops}`))
          .status,
      );
    }
    const run = await rebuild;
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/rebuilt tickets, reference from \d+ events/);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(filedDuring.length).toBeGreaterThan(0);
    const filedAfter = (await partner.file(repairRequest(spare.pop()!))).ticketId;

    // The tables were really replaced, and the running projection carries on with the new ones (the restart
    // when its checkpoint moved is pinned down deterministically in rebuild-aside.int.spec.ts).
    expect(await oid('ticket_summary')).not.toBe(oldOid);
    for (const id of [...filedDuring, filedAfter]) expect((await partner.get(id)).ticketId).toBe(id);

    // Every row that existed before is there again, identical; the only additions are the new tickets.
    const newIds = new Set([...filedDuring, filedAfter]);
    for (const table of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
      const after = await dump(table);
      const fresh = after.filter((r) => {
        const row = JSON.parse(r) as { ticket_id?: string };
        return row.ticket_id !== undefined && newIds.has(row.ticket_id);
      });
      expect(after.filter((r) => !fresh.includes(r))).toEqual(before[table]);
    }
    expect(
      await cli.t.sql(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [
        `${cli.t.schemas.readModels}_%`,
      ]),
    ).toEqual([]);
  });

  it('verify-projections passes on clean tables, fails naming the tampered row, passes again after a rebuild', async () => {
    const clean = await cli.run(['verify-projections']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^OK: read models/);

    const [victim] = await cli.t.sql<{ ticket_id: string }>(
      `SELECT ticket_id FROM "${cli.t.schemas.readModels}".ticket_summary ORDER BY ticket_id LIMIT 1`,
    );
    await cli.t.sql(
      `UPDATE "${cli.t.schemas.readModels}".ticket_summary SET status = 'closed' WHERE ticket_id = $1`,
      [victim!.ticket_id],
    );
    const tampered = await cli.run(['verify-projections', 'tickets']);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/^DIFFERENT/);
    expect(tampered.stdout).toContain(
      `CHANGED ticket_summary {"ticket_id":"${victim!.ticket_id}"} columns: status`,
    );
    expect(tampered.stdout).toMatch(/status: live "closed" {2}replayed "/);

    expect((await cli.run(['rebuild-projections', 'tickets'])).code).toBe(0);
    const repaired = await cli.run(['verify-projections']);
    expect(repaired.code).toBe(0);
  });

  it('an unknown projection name is refused with exit code 2', async () => {
    const run = await cli.run(['rebuild-projections', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown projection "nope": one of tickets, reference, all/);
  });
});
