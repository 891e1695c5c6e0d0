/**
 * The outbox relay: event store → Kafka, at least once, per-ticket order, nothing lost.
 *
 * - Reads the store's global log from its own checkpoint (PostgreSQL, same database), in order.
 * - Publishes each batch with an idempotent producer, acks = all in-sync replicas, one request in flight.
 * - Moves the checkpoint only after the broker acknowledged the whole batch. A crash before that re-sends
 *   the batch on restart (duplicates only within the last unacknowledged batch; every message carries the
 *   stored event id as `ce_id`, so consumers drop them).
 * - Broker down: the batch is retried with exponential back-off, forever, the checkpoint stays, the state
 *   is `degraded` (health and metrics say so), and the relay catches up once the broker is back. Store
 *   unreachable: the same, then the subscription is re-opened from the checkpoint.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { Logger } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';

import { ticketStream } from '@app/domain';
import type { EventStore, RecordedEvent, Subscription } from '@app/event-store';

import type { TicketContext } from '../contracts/ticket-integration-events';
import {
  DEFAULT_CE_SOURCE,
  partnerIdOfOpeningEvent,
  ticketIdOfStream,
  toTicketMessage,
  type OutgoingMessage,
} from '../contracts/ticket-message.mapper';
import { createRelayProducer, ensureTopics, type TopicSpec } from '../kafka/kafka-config';
import type { RelayCheckpoints, RelayLease } from './relay-checkpoint';
import { RelayMetrics, type RelayState } from './relay-metrics';

export interface KafkaRelayOptions {
  readonly store: EventStore;
  readonly checkpoints: RelayCheckpoints;
  readonly kafka: Kafka;
  readonly topic: TopicSpec;
  /** Checkpoint row name; one per relay feeding one topic. Default `kafka-tickets`. */
  readonly name?: string;
  readonly source?: string;
  /** Events per Kafka request (and per checkpoint write). Default 500. */
  readonly batchSize?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly metrics?: RelayMetrics;
  readonly logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
  /** How often a standby relay tries to take the lock. Default 1000 ms. */
  readonly standbyPollMs?: number;
  /** Tickets whose owning partner is remembered (LRU). Default 10,000. */
  readonly partnerCacheSize?: number;
  /**
   * A batch Kafka has not acknowledged for this long makes the relay `degraded` (reason and since-when in
   * its status) while the producer is still retrying inside kafkajs. Default 1000 ms.
   */
  readonly stallAfterMs?: number;
}

/** How often the lag gauge and the stall watchdog look at the relay (no store read: in-memory figures). */
const WATCH_INTERVAL_MS = 200;

export interface RelayStatus {
  readonly name: string;
  readonly state: RelayState;
  /** Global position of the last event acknowledged by Kafka (undefined: nothing yet). */
  readonly checkpoint: number | undefined;
  /** Events acknowledged by Kafka since this process started the relay. */
  readonly published: number;
  /** True once everything stored when the relay started has been published. */
  readonly caughtUp: boolean;
  /**
   * Age of the oldest event handed to the relay and not yet acknowledged by Kafka; 0 when nothing is
   * pending (caught up and idle). Kept by the relay as it works: no store read per call.
   */
  readonly lagSeconds: number;
  readonly lastError: string | null;
  readonly degradedSince: string | null;
}

/** Thrown inside the publishing loop when the relay is being stopped: leaves the checkpoint where it is. */
class RelayStopping extends Error {
  constructor() {
    super('relay stopping');
  }
}

export class KafkaRelay {
  readonly name: string;
  private readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>;
  private readonly metrics: RelayMetrics;
  private readonly partners = new Map<string, string>();
  private state: RelayState = 'stopped';
  private running = false;
  private abort = new AbortController();
  private subscription: Subscription | undefined;
  private producer: Producer | undefined;
  private producerReady = false;
  private position: number | undefined;
  private published = 0;
  private caughtUp = false;
  /** Batches handed over and not yet acknowledged, oldest first (recordedAt of each batch's first event). */
  private pending: string[] = [];
  /** When the send now in flight began (undefined: none). */
  private sendStartedAt: number | undefined;
  private watch: NodeJS.Timeout | undefined;
  private lastError: string | null = null;
  private degradedSince: string | null = null;
  private resubscribing: Promise<void> | undefined;
  private connecting: Promise<Producer> | undefined;
  /** The batch being sent (and checkpointed); the next one chains on it. */
  private inflight: Promise<void> = Promise.resolve();
  /** Aborted by stop(); `abort` is per publishing term (also ended when the lock is lost). */
  private stopping = new AbortController();
  private leading: Promise<void> | undefined;

  constructor(private readonly options: KafkaRelayOptions) {
    this.name = options.name ?? 'kafka-tickets';
    this.logger = options.logger ?? new Logger(`KafkaRelay:${this.name}`);
    this.metrics = options.metrics ?? new RelayMetrics(this.name);
    this.metrics.setState('stopped');
  }

  /**
   * Starts publishing in the background. With a lock (`checkpoints.tryLead`), only one relay per name is
   * active: the others stay in `standby` and take over when the active one's database connection ends.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.caughtUp = false;
    this.setState('starting');
    this.watch = setInterval(() => this.watchdog(), WATCH_INTERVAL_MS);
    this.watch.unref();
    if (this.options.checkpoints.tryLead) this.leading = this.lead();
    else await this.beginTerm();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopping.abort();
    clearInterval(this.watch);
    this.watch = undefined;
    if (this.leading) await this.leading;
    else await this.endTerm();
    this.leading = undefined;
    this.setState('stopped');
  }

  /** One term of publishing: from the checkpoint, until stopped or the lock is lost. */
  private async beginTerm(): Promise<void> {
    this.abort = new AbortController();
    this.setState('starting');
    // A new send chain: the last term's chain has settled (endTerm waited for it), possibly rejected with
    // RelayStopping, which must not stop the first batch of this term.
    this.inflight = Promise.resolve();
    this.pending = [];
    this.sendStartedAt = undefined;
    this.position = await this.options.checkpoints.load(this.name);
    if (this.position !== undefined) this.metrics.setCheckpoint(this.position);
    this.logger.log(
      `publishing after position ${this.position ?? '(beginning)'} → topic ${this.options.topic.name}`,
    );
    // Topics exist as soon as the relay runs (consumers may subscribe before the first event); if the broker
    // is down now, the first publish tries again.
    void this.connectProducer().catch(() => undefined);
    this.subscribe();
  }

  private async endTerm(): Promise<void> {
    this.abort.abort();
    await this.resubscribing?.catch(() => undefined);
    await this.subscription?.stop();
    this.subscription = undefined;
    await this.inflight.catch(() => undefined);
    await this.dropProducer();
  }

  private async lead(): Promise<void> {
    const stopped = new Promise<void>((resolve) =>
      this.stopping.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    while (this.running) {
      let lease: RelayLease | undefined;
      try {
        lease = await this.options.checkpoints.tryLead!(this.name);
      } catch (error) {
        this.degrade(error);
      }
      if (lease) {
        try {
          if (this.running) {
            await this.beginTerm();
            await Promise.race([lease.lost, stopped]);
          }
        } catch (error) {
          this.degrade(error);
        }
        await this.endTerm();
        await lease.release();
        if (this.running)
          this.degrade(
            new Error('lost the relay lock (its database connection ended); trying to get it back'),
          );
      } else if (this.running && this.state !== 'degraded') {
        this.setState('standby');
      }
      await sleep(this.options.standbyPollMs ?? 1000, undefined, { signal: this.stopping.signal }).catch(
        () => undefined,
      );
    }
  }

  status(): RelayStatus {
    return {
      name: this.name,
      state: this.state,
      checkpoint: this.position,
      published: this.published,
      caughtUp: this.caughtUp,
      lagSeconds: this.lagSeconds(),
      lastError: this.lastError,
      degradedSince: this.degradedSince,
    };
  }

  /** The api's health reporter shape (`/health` lists it). */
  report(): Promise<{ readonly status: 'ok' | 'degraded' | 'down' } & RelayStatus> {
    const s = this.status();
    // A standby relay is healthy: another process holds the lock and publishes.
    const status = s.state === 'degraded' ? 'degraded' : s.state === 'stopped' ? 'down' : 'ok';
    return Promise.resolve({ ...s, status });
  }

  private subscribe(): void {
    const subscription = this.options.store.subscribeToAll((batch) => this.publishBatch(batch), {
      ...(this.position !== undefined ? { after: this.position } : {}),
      batchSize: this.options.batchSize ?? 500,
      // No stream filter on purpose: with `stream LIKE 'ticket-%'` PostgreSQL estimates few matches and sorts
      // every row after the checkpoint for each page (measured: bitmap scan + top-N sort), which makes a
      // large backlog quadratic. Unfiltered, a page is an ordered primary-key range scan; the few
      // non-ticket events (partners, catalog) are skipped by the mapper, counted as not-a-ticket-stream.
      onError: (error) => this.onSubscriptionError(error),
    });
    this.subscription = subscription;
    // Caught up = everything stored at start handed over AND acknowledged.
    void subscription.caughtUp.then(
      async () => {
        await this.inflight.catch(() => undefined);
        if (this.subscription !== subscription || !this.running) return;
        this.caughtUp = true;
        this.metrics.setLagSeconds(this.lagSeconds());
        if (this.state === 'starting') this.setState('running');
        // caughtUp rejects when the subscription fails; onSubscriptionError handles that, so only keep the
        // rejection from becoming an unhandled one (which would end the process).
      },
      () => undefined,
    );
  }

  /** The store failed (e.g. PostgreSQL restarting): report, wait, re-open from the checkpoint. */
  private onSubscriptionError(error: unknown): void {
    if (!this.running || this.abort.signal.aborted || error instanceof RelayStopping) return;
    this.degrade(error);
    this.resubscribing = (async () => {
      try {
        await sleep(this.options.backoff?.maxMs ?? 5000, undefined, { signal: this.abort.signal });
      } catch {
        return; // stopped while waiting
      }
      // Re-read from the checkpoint once the batch in flight has settled, so the send chain stays in order.
      await this.inflight.catch(() => undefined);
      if (this.running && !this.abort.signal.aborted) this.subscribe();
    })();
  }

  /**
   * Maps the batch, then hands it to the send chain and returns as soon as the PREVIOUS batch is
   * acknowledged: the store read and mapping of batch n+1 overlap the broker round trip of batch n. Sends
   * stay strictly sequential (chained) and the checkpoint follows acknowledgements in order, so at most the
   * one batch in flight is re-sent after a crash. (Writing batch n's checkpoint while batch n+1 is sent was
   * tried: no faster in paired runs, since the event loop fills that round trip with mapping the next batch,
   * and a crash could then re-send two batches.)
   */
  private async publishBatch(batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (!last) return;
    this.pending.push(batch[0]!.recordedAt);
    const messages = await this.retrying(() => this.toMessages(batch));
    const previous = this.inflight;
    this.inflight = (async () => {
      await previous;
      if (messages.length > 0) await this.retrying(() => this.timedSend(messages));
      await this.retrying(() => this.options.checkpoints.save(this.name, last.globalPosition));
      this.acknowledged(last, messages.length);
    })();
    // A failure of the chain (only RelayStopping) surfaces through the next handler call or stop().
    this.inflight.catch(() => undefined);
    await previous;
    // Return one macrotask later: the acknowledgement just resumed this batch's send, and kafkajs encodes and
    // writes the request in the microtasks that follow; mapping the next batch (the subscription's next call)
    // comes after that write, while the broker works, rather than in front of it. A small gain at best where
    // the event loop is the relay's bottleneck (kafkajs encoding; figures in README.md, Benchmarks), and it
    // costs one event-loop turn per batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private acknowledged(last: RecordedEvent, count: number): void {
    this.position = last.globalPosition;
    this.published += count;
    this.metrics.addPublished(count);
    this.metrics.setCheckpoint(last.globalPosition);
    this.pending.shift();
    this.metrics.setLagSeconds(this.lagSeconds());
    if (this.state !== 'running') {
      if (this.state === 'degraded') this.logger.log(`recovered; checkpoint ${last.globalPosition}`);
      this.setState('running');
      this.lastError = null;
      this.degradedSince = null;
    }
  }

  /** Runs `work` until it succeeds or the relay stops; every failure is reported and backed off. */
  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    let delay = this.options.backoff?.initialMs ?? 200;
    const max = this.options.backoff?.maxMs ?? 5000;
    for (;;) {
      if (!this.running || this.abort.signal.aborted) throw new RelayStopping();
      try {
        return await work();
      } catch (error) {
        if (!this.running || this.abort.signal.aborted) throw new RelayStopping();
        this.degrade(error);
        this.metrics.setLagSeconds(this.lagSeconds());
        try {
          await sleep(delay, undefined, { signal: this.abort.signal });
        } catch {
          throw new RelayStopping();
        }
        delay = Math.min(delay * 2, max);
      }
    }
  }

  private async toMessages(batch: readonly RecordedEvent[]): Promise<OutgoingMessage[]> {
    const contexts = await this.ticketContexts(batch);
    const messages: OutgoingMessage[] = [];
    for (const event of batch) {
      const ticketId = ticketIdOfStream(event.stream);
      const context = ticketId === undefined ? undefined : contexts.get(ticketId);
      if (!context) {
        this.metrics.addSkipped('not-a-ticket-stream');
        continue;
      }
      const result = toTicketMessage(event, context, this.options.source ?? DEFAULT_CE_SOURCE);
      if (result.kind === 'message') messages.push(result.message);
      else this.metrics.addSkipped(result.reason);
    }
    return messages;
  }

  /**
   * The owning partner of every ticket in the batch: from a RepairRequested in the batch, the cache, or the
   * ticket's opening event in the store (one read per ticket not seen lately).
   */
  private async ticketContexts(batch: readonly RecordedEvent[]): Promise<Map<string, TicketContext>> {
    const ids = new Set<string>();
    for (const event of batch) {
      const ticketId = ticketIdOfStream(event.stream);
      if (ticketId === undefined) continue;
      ids.add(ticketId);
      const partnerId = partnerIdOfOpeningEvent(event);
      if (partnerId !== undefined) this.remember(ticketId, partnerId);
    }
    const missing = [...ids].filter((id) => !this.partners.has(id));
    await Promise.all(
      missing.map(async (ticketId) => {
        const [opening] = await this.options.store.readStream(ticketStream(ticketId), {
          maxCount: 1,
        });
        const partnerId = opening && partnerIdOfOpeningEvent(opening);
        // A ticket stream always opens with RepairRequested; if not, stop here loudly rather than publish
        // a message without its partner or skip it for good.
        if (partnerId === undefined)
          throw new Error(`ticket ${ticketId}: its stream does not open with RepairRequested`);
        this.remember(ticketId, partnerId);
      }),
    );
    const contexts = new Map<string, TicketContext>();
    for (const id of ids) {
      const partnerId = this.partners.get(id);
      if (partnerId !== undefined) contexts.set(id, { partnerId });
    }
    return contexts;
  }

  private remember(ticketId: string, partnerId: string): void {
    this.partners.delete(ticketId);
    this.partners.set(ticketId, partnerId);
    if (this.partners.size > (this.options.partnerCacheSize ?? 10_000)) {
      const oldest = this.partners.keys().next();
      if (!oldest.done) this.partners.delete(oldest.value);
    }
  }

  private async send(messages: readonly OutgoingMessage[]): Promise<void> {
    try {
      const producer = await this.connectProducer();
      await producer.send({
        topic: this.options.topic.name,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
      });
    } catch (error) {
      // Start the next attempt from a fresh connection and producer id: simpler than second-guessing
      // which kafkajs state survived (a broker restart, a fenced producer, a closed socket).
      await this.dropProducer();
      throw error;
    }
  }

  /** One connection attempt at a time: the eager one in `start` and the first publish share it. */
  private connectProducer(): Promise<Producer> {
    if (this.producerReady && this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      try {
        // Side by side: the producer's handshake does not need the topic (it is looked up on the first send).
        const producer = createRelayProducer(this.options.kafka);
        const connected = producer.connect();
        connected.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
        try {
          await ensureTopics(this.options.kafka, [this.options.topic]);
        } catch (error) {
          await connected.then(() => producer.disconnect()).catch(() => undefined);
          throw error;
        }
        await connected;
        this.producer = producer;
        this.producerReady = true;
        return producer;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private async dropProducer(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    const producer = this.producer;
    this.producer = undefined;
    this.producerReady = false;
    if (!producer) return;
    // Bounded: a disconnect from a dead broker must not hold up a stop (the timer is cleared, so it does not
    // keep the process alive either).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      producer.disconnect().catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000))),
    ]);
    clearTimeout(timer);
  }

  /** Seconds since the oldest unacknowledged event was recorded; 0 when nothing is pending. */
  private lagSeconds(now = Date.now()): number {
    const oldest = this.pending[0];
    return oldest === undefined ? 0 : Math.max(0, (now - Date.parse(oldest)) / 1000);
  }

  private async timedSend(messages: readonly OutgoingMessage[]): Promise<void> {
    this.sendStartedAt = Date.now();
    try {
      await this.send(messages);
    } finally {
      this.sendStartedAt = undefined;
    }
  }

  /**
   * Every WATCH_INTERVAL_MS while running: the lag gauge follows the clock (so it falls back to 0 once idle
   * and grows during an outage between batches), and a send kafkajs is still retrying past `stallAfterMs`
   * makes the relay degraded at once rather than when the producer finally gives up (seconds later; README.md).
   */
  private watchdog(): void {
    this.metrics.setLagSeconds(this.lagSeconds());
    const stallAfterMs = this.options.stallAfterMs ?? 1000;
    const started = this.sendStartedAt;
    if (started !== undefined && this.state !== 'degraded' && Date.now() - started >= stallAfterMs)
      this.degrade(
        new Error(
          `Kafka has not acknowledged the batch sent ${((Date.now() - started) / 1000).toFixed(1)} s ago (producer retrying)`,
        ),
      );
  }

  private degrade(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.state !== 'degraded') {
      this.logger.warn(
        `degraded: ${message}; retrying with back-off, checkpoint stays at ${this.position ?? '(beginning)'}`,
      );
      this.degradedSince = new Date().toISOString();
    }
    this.lastError = message;
    this.setState('degraded');
  }

  private setState(state: RelayState): void {
    this.state = state;
    this.metrics.setState(state);
  }
}
