import type { DataSource } from 'typeorm';

/** The operations dashboard's figures from the tickets read model (versioned by name: see ticket-details.ts). */
export interface DashboardFiguresV1 {
  readonly openTickets: { scheme: string; status: string; count: number }[];
  readonly openTotal: number;
  /** Open tickets by days since the request, every bucket present, in AGING_BUCKETS order. */
  readonly aging: { bucket: string; count: number }[];
  /** Mean time from request to closing, closed tickets only (cancelled ones are not resolutions). */
  readonly meanTimeToResolution: { scheme: string; closed: number; meanHours: number }[];
  readonly replacementsInTransit: number;
  readonly onsiteVisitsScheduled: { count: number; byDate: { visitDate: string; count: number }[] };
}

export const AGING_BUCKETS = ['0-2d', '3-7d', '8-14d', '15-30d', '31d+'] as const;

const AGING_BUCKET_SQL = `CASE
  WHEN now() - requested_at < interval '3 days' THEN '0-2d'
  WHEN now() - requested_at < interval '8 days' THEN '3-7d'
  WHEN now() - requested_at < interval '15 days' THEN '8-14d'
  WHEN now() - requested_at < interval '31 days' THEN '15-30d'
  ELSE '31d+' END`;
const OPEN = `status NOT IN ('closed', 'cancelled')`;

/** The query port of the dashboard figures. */
export abstract class DashboardReadModel {
  abstract figures(): Promise<DashboardFiguresV1>;
}

export class SqlDashboardReadModel extends DashboardReadModel {
  constructor(private readonly db: DataSource) {
    super();
  }

  async figures(): Promise<DashboardFiguresV1> {
    const [open, aging, mttr, transit, visits] = await Promise.all([
      this.db.query<{ scheme: string; status: string; count: number }[]>(
        `SELECT scheme, status, count(*)::int AS count FROM ticket_summary WHERE ${OPEN} GROUP BY scheme, status ORDER BY scheme, status`,
      ),
      this.db.query<{ bucket: string; count: number }[]>(
        `SELECT ${AGING_BUCKET_SQL} AS bucket, count(*)::int AS count FROM ticket_summary WHERE ${OPEN} GROUP BY 1`,
      ),
      this.db.query<{ scheme: string; closed: number; meanHours: number }[]>(
        `SELECT scheme, count(*)::int AS closed,
                round((avg(extract(epoch FROM resolved_at - requested_at)) / 3600)::numeric, 1)::float AS "meanHours"
         FROM ticket_summary WHERE resolved_at IS NOT NULL GROUP BY scheme ORDER BY scheme`,
      ),
      this.db.query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM ticket_summary WHERE scheme = 'replacement' AND status = 'in_transit_to_partner'`,
      ),
      this.db.query<{ visitDate: string; count: number }[]>(
        `SELECT visit_date AS "visitDate", count(*)::int AS count FROM ticket_summary WHERE status = 'onsite_dispatched' GROUP BY visit_date ORDER BY visit_date`,
      ),
    ]);
    const byBucket = new Map(aging.map((a) => [a.bucket, a.count]));
    return {
      openTickets: open,
      openTotal: open.reduce((n, r) => n + r.count, 0),
      aging: AGING_BUCKETS.map((bucket) => ({ bucket, count: byBucket.get(bucket) ?? 0 })),
      meanTimeToResolution: mttr,
      replacementsInTransit: transit[0]?.count ?? 0,
      onsiteVisitsScheduled: { count: visits.reduce((n, v) => n + v.count, 0), byDate: visits },
    };
  }
}
