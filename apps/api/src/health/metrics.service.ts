import { Injectable } from '@nestjs/common';
import type { ProjectionLag } from '@app/read-models';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance (tests start several in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly lagEvents = new Gauge({
    name: 'repair_projection_lag_events',
    help: 'Events committed but not yet projected (capped)',
    registers: [this.registry],
  });
  private readonly lagSeconds = new Gauge({
    name: 'repair_projection_lag_seconds',
    help: 'Age of the oldest unprojected event',
    registers: [this.registry],
  });
  private readonly position = new Gauge({
    name: 'repair_projection_position',
    help: 'Global position projected by the slowest projection',
    registers: [this.registry],
  });
  private readonly storeReadable = new Gauge({
    name: 'repair_event_store_readable',
    help: '1 when the event store could be read for the projection lag (probed at most once a second); 0: it could not (the lag gauges keep their last values)',
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'repair_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly listening = new Gauge({
    name: 'repair_event_store_listen_connected',
    help: '1 while the event store LISTEN connection is open (0: subscriptions fall back to polling)',
    registers: [this.registry],
  });
  private readonly listenLosses = new Gauge({
    name: 'repair_event_store_listen_lost_total',
    help: 'Times the event store LISTEN connection was lost since start',
    registers: [this.registry],
  });
  private readonly listenRestores = new Gauge({
    name: 'repair_event_store_listen_restored_total',
    help: 'Times the event store LISTEN connection was re-opened since start',
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
    this.listening.set(status.listening ? 1 : 0);
    this.listenLosses.set(status.losses);
    this.listenRestores.set(status.restores);
  }

  /** The store could not be read for the lag: say so; the last lag figures stay (an alert keeps its value). */
  projectionLagUnknown(): void {
    this.storeReadable.set(0);
  }

  refreshProjectionLag(lag: ProjectionLag): Promise<void> {
    this.storeReadable.set(1);
    this.lagEvents.set(lag.eventsBehind);
    this.lagSeconds.set(lag.msBehind / 1000);
    this.position.set(lag.position);
    return Promise.resolve();
  }
}
