import { Injectable } from '@nestjs/common';
import type { ProjectionLag } from '@app/read-models';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The service's gauges: Prometheus name and help, by the name the code sets them by. */
const GAUGES = {
  lagEvents: ['repair_projection_lag_events', 'Events committed but not yet projected (capped)'],
  lagSeconds: ['repair_projection_lag_seconds', 'Age of the oldest unprojected event'],
  position: ['repair_projection_position', 'Global position projected by the slowest projection'],
  storeReadable: [
    'repair_event_store_readable',
    '1 when the event store could be read for the projection lag (probed at most once a second); 0: it could not (the lag gauges keep their last values)',
  ],
  listening: [
    'repair_event_store_listen_connected',
    '1 while the event store LISTEN connection is open (0: subscriptions fall back to polling)',
  ],
  listenLosses: [
    'repair_event_store_listen_lost_total',
    'Times the event store LISTEN connection was lost since start',
  ],
  listenRestores: [
    'repair_event_store_listen_restored_total',
    'Times the event store LISTEN connection was re-opened since start',
  ],
} as const satisfies Record<string, readonly [name: string, help: string]>;

/** One registry per app instance (tests start several in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly gauges = Object.fromEntries(
    Object.entries(GAUGES).map(([key, [name, help]]) => [
      key,
      new Gauge({ name, help, registers: [this.registry] }),
    ]),
  ) as Record<keyof typeof GAUGES, Gauge>;
  readonly httpDuration = new Histogram({
    name: 'repair_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The PostgreSQL server store's LISTEN connection (none on PGlite, which polls, or EventStoreDB: no metric). */
  refreshNotifications(
    status: { mode: 'listen' | 'poll'; listening: boolean; losses: number; restores: number } | undefined,
  ): void {
    if (status?.mode !== 'listen') return;
    this.gauges.listening.set(status.listening ? 1 : 0);
    this.gauges.listenLosses.set(status.losses);
    this.gauges.listenRestores.set(status.restores);
  }

  /** The store could not be read for the lag: say so; the last lag figures stay (an alert keeps its value). */
  projectionLagUnknown(): void {
    this.gauges.storeReadable.set(0);
  }

  refreshProjectionLag(lag: ProjectionLag): Promise<void> {
    this.gauges.storeReadable.set(1);
    this.gauges.lagEvents.set(lag.eventsBehind);
    this.gauges.lagSeconds.set(lag.msBehind / 1000);
    this.gauges.position.set(lag.position);
    return Promise.resolve();
  }
}
