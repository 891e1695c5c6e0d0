import { Counter, Gauge, register as defaultRegistry, type Registry } from 'prom-client';

export const RELAY_STATES = ['starting', 'running', 'standby', 'degraded', 'stopped'] as const;
export type RelayState = (typeof RELAY_STATES)[number];

/**
 * Prometheus metrics of a relay, labelled by relay name. Metrics are registered once per registry and
 * shared by every relay in the process (the api may run one in-process while a test runs another).
 */
export class RelayMetrics {
  private readonly published: Counter<'relay'>;
  private readonly skipped: Counter<'relay' | 'reason'>;
  private readonly lag: Gauge<'relay'>;
  private readonly checkpoint: Gauge<'relay'>;
  private readonly state: Gauge<'relay' | 'state'>;

  constructor(
    private readonly relay: string,
    registry: Registry = defaultRegistry,
  ) {
    const get = <M>(name: string, make: () => M): M =>
      (registry.getSingleMetric(name) as M | undefined) ?? make();
    const registers = [registry];
    this.published = get(
      'relay_events_published_total',
      () =>
        new Counter({
          name: 'relay_events_published_total',
          help: 'Events acknowledged by Kafka',
          labelNames: ['relay'],
          registers,
        }),
    );
    this.skipped = get(
      'relay_events_skipped_total',
      () =>
        new Counter({
          name: 'relay_events_skipped_total',
          help: 'Stored events without an integration contract (not published by design)',
          labelNames: ['relay', 'reason'],
          registers,
        }),
    );
    this.lag = get(
      'relay_lag_seconds',
      () =>
        new Gauge({
          name: 'relay_lag_seconds',
          help: 'Age of the oldest stored event not yet acknowledged by Kafka (0 when caught up)',
          labelNames: ['relay'],
          registers,
        }),
    );
    this.checkpoint = get(
      'relay_checkpoint_position',
      () =>
        new Gauge({
          name: 'relay_checkpoint_position',
          help: 'Global position of the checkpoint',
          labelNames: ['relay'],
          registers,
        }),
    );
    this.state = get(
      'relay_state',
      () =>
        new Gauge({
          name: 'relay_state',
          help: 'Current relay state (1 = in this state)',
          labelNames: ['relay', 'state'],
          registers,
        }),
    );
  }

  setState(state: RelayState): void {
    for (const s of RELAY_STATES) this.state.set({ relay: this.relay, state: s }, s === state ? 1 : 0);
  }

  addPublished(count: number): void {
    this.published.inc({ relay: this.relay }, count);
  }

  addSkipped(reason: string, count = 1): void {
    this.skipped.inc({ relay: this.relay, reason }, count);
  }

  setLagSeconds(seconds: number): void {
    this.lag.set({ relay: this.relay }, Math.max(0, seconds));
  }

  setCheckpoint(position: number): void {
    this.checkpoint.set({ relay: this.relay }, position);
  }
}
