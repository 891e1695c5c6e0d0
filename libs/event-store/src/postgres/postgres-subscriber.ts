// Subscriptions of the PostgreSQL event store (postgres-event-store.ts): the page loop of each subscriber, woken
// by appends in this process, by LISTEN/NOTIFY from other processes (one listening connection, re-opened when
// lost) and by a slow poll as a fallback.
import { setTimeout as sleep } from 'node:timers/promises';

import { Client } from 'pg';

import type { EventStore, Subscription } from '../event-store.port';
import { checkReadAll } from '../shared/validate-input';
import { quoteIdent } from './migrations';
import type { PostgresPager } from './postgres-pager';
import type { StoreContext } from './postgres-store-context';
import { caughtUpSignal } from '../shared/caught-up';

const NOTIFY_INTERVAL_MS = 25;
/** Pauses between attempts to re-open a lost LISTEN connection (the last one repeats). */
const LISTEN_RETRY_DELAYS_MS = [0, 200, 500, 1000];

export class PostgresSubscriber {
  private readonly wakers = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private listener: Client | undefined;
  private listenerStarting: Promise<void> | undefined;
  private healing = false;
  private listenerLosses = 0;
  private listenerRestores = 0;
  private notifyPending = false;
  private lastNotifyAt = 0;

  constructor(
    private readonly ctx: StoreContext,
    private readonly pager: PostgresPager,
    private readonly notifications: 'listen' | 'poll',
  ) {}

  /** EventStore.subscribeToAll of the PostgreSQL store. */
  subscribe(...[handler, options = {}]: Parameters<EventStore['subscribeToAll']>): Subscription {
    checkReadAll(options);
    const batchSize = options.batchSize ?? 100;
    const pageSize = Math.max(batchSize, 500);
    let position = options.after;
    /** Everything at or below it was scanned (handed over, or filtered out). */
    let cursor = options.after ?? -1;
    let running = true;
    let wake: (() => void) | undefined;
    const { caughtUp, resolve: resolveCaughtUp, reject: rejectCaughtUp } = caughtUpSignal();
    let target: number | undefined;
    /** A wake-up that came while the loop was reading or handing over: it must not be lost (no sleep then). */
    let woken = false;
    const waker = (): void => {
      if (wake) wake();
      else woken = true;
    };
    this.wakers.add(waker);

    type Page = Awaited<ReturnType<PostgresPager['readPage']>>;
    const read = (after: number): Promise<Page> => {
      woken = false; // this read sees every commit a pending wake-up announced
      return this.pager.readPage(after, pageSize, options.filter);
    };
    /** The next page, read while the current one is handed over (only after a full page). */
    let ahead: Promise<Page> | undefined;

    const loop = async (): Promise<void> => {
      if (this.notifications === 'listen') await this.ensureListener();
      try {
        while (running) {
          const page = await (ahead ?? read(cursor));
          ahead = undefined;
          // Caught up = scanned past everything committed when the subscription started.
          target ??= page.maxPosition ?? -1;
          // Read-ahead: a full page means more may follow, so the next page is read while this one is handed
          // over; the store read then overlaps the handler's work (the relay: its broker round trip) instead of
          // adding to it. It starts after the last event of this page, where the cursor will be once the page
          // is handed over, and it resets `woken` when it starts, like any read: a wake-up during the hand-over
          // is kept. Not after a short page: that one ends at the horizon, the loop waits for news next.
          const last = page.events[page.events.length - 1];
          if (page.events.length === pageSize && last) {
            ahead = read(last.globalPosition);
            ahead.catch(() => undefined); // a failure surfaces when the loop takes it
          }
          for (let i = 0; i < page.events.length && running; i += batchSize) {
            const batch = page.events.slice(i, i + batchSize);
            await handler(batch);
            position = batch[batch.length - 1]?.globalPosition ?? position;
            cursor = position ?? cursor;
          }
          if (!running) break;
          if (page.events.length === pageSize) continue;
          cursor = Math.max(cursor, page.horizon - 1);
          if (cursor >= target) resolveCaughtUp();
          if (woken) {
            woken = false;
            continue;
          }
          // Rows above the horizon are committed but held back by an older open transaction: look again soon.
          const waitMs = page.hiddenCommitted
            ? 10
            : (this.ctx.options.pollIntervalMs ?? (this.notifications === 'listen' ? 1000 : 50));
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
      } finally {
        // Stopped (or the handler failed) with a page read ahead: let the read finish, drop the page.
        await ahead?.catch(() => undefined);
        ahead = undefined;
      }
    };

    const done = loop().catch((error: unknown) => {
      running = false;
      rejectCaughtUp(error); // no effect once caught up
      options.onError?.(error);
    });
    const subscription: Subscription = {
      caughtUp,
      position: () => position,
      stop: async () => {
        running = false;
        wake?.();
        await done;
        this.wakers.delete(waker);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  private get channel(): string {
    return `es_${this.ctx.schema}`;
  }

  /** After an append: wakes this process's subscribers now, other processes' by a throttled NOTIFY. */
  signalAppended(): void {
    for (const w of this.wakers) w();
    if (this.notifications !== 'listen' || this.notifyPending || this.ctx.isClosed()) return;
    // Throttled to one NOTIFY per NOTIFY_INTERVAL_MS (leading and trailing edge), sent outside the append
    // transactions: other processes' subscribers wake within that interval, appends pay nothing.
    this.notifyPending = true;
    const wait = Math.max(0, this.lastNotifyAt + NOTIFY_INTERVAL_MS - Date.now());
    setTimeout(() => {
      this.notifyPending = false;
      if (this.ctx.isClosed()) return;
      this.lastNotifyAt = Date.now();
      this.ctx.pool.query('SELECT pg_notify($1, $2)', [this.channel, '']).catch(() => undefined);
    }, wait);
  }

  /** Opens the LISTEN connection if there is none; on failure the healer keeps trying (never throws). */
  private async ensureListener(): Promise<void> {
    if (this.listener || this.ctx.isClosed()) return;
    this.listenerStarting ??= this.openListener()
      .catch((error: unknown) => {
        this.ctx.options.onListenerChange?.({ state: 'lost', error });
        this.healListener();
      })
      .finally(() => {
        this.listenerStarting = undefined;
      });
    await this.listenerStarting;
  }

  private async openListener(): Promise<void> {
    const client = new Client({ connectionString: this.ctx.options.connectionString });
    client.on('notification', () => {
      for (const w of this.wakers) w();
    });
    let lost = false;
    const onLost = (error?: unknown): void => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      if (this.ctx.isClosed()) return;
      this.listenerLosses++;
      this.ctx.options.onListenerChange?.({ state: 'lost', error });
      this.healListener();
    };
    // A terminated backend (pg_terminate_backend, server restart) ends this connection: re-open it.
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    // Closed meanwhile, or another opening won: one LISTEN connection per store, the surplus one is ended
    // quietly (marked lost first, so its 'end' is not taken for a lost listener).
    if (this.ctx.isClosed() || this.listener) {
      lost = true;
      await client.end().catch(() => undefined);
    } else this.listener = client;
  }

  /**
   * Re-opens a lost LISTEN connection: first at once, then every second at most, until it is back or the
   * store closes. Meanwhile subscriptions fall back to their poll; once back, every subscriber is woken, as
   * a commit may have been announced while nobody listened.
   */
  private healListener(): void {
    if (this.healing || this.ctx.isClosed()) return;
    this.healing = true;
    void (async () => {
      for (let attempt = 0; !this.ctx.isClosed() && !this.listener; attempt++) {
        await sleep(LISTEN_RETRY_DELAYS_MS[Math.min(attempt, LISTEN_RETRY_DELAYS_MS.length - 1)]);
        // A subscriber may have re-opened the connection (ensureListener) while this loop slept.
        if (this.ctx.isClosed() || this.listener) break;
        this.listenerStarting ??= this.openListener()
          .catch(() => undefined)
          .finally(() => {
            this.listenerStarting = undefined;
          });
        await this.listenerStarting;
      }
      this.healing = false;
      if (this.listener && !this.ctx.isClosed()) {
        this.listenerRestores++;
        this.ctx.options.onListenerChange?.({ state: 'restored' });
        for (const w of this.wakers) w();
      }
    })();
  }

  /** Whether commits of other processes wake subscribers now (LISTEN), and how often that connection was lost and restored. */
  status(): {
    readonly mode: 'listen' | 'poll';
    readonly listening: boolean;
    readonly losses: number;
    readonly restores: number;
  } {
    return {
      mode: this.notifications,
      listening: this.listener !== undefined,
      losses: this.listenerLosses,
      restores: this.listenerRestores,
    };
  }

  /** Stops every subscription and the LISTEN connection (the store is marked closed first). */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.listenerStarting?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }
}

/** Default report of the LISTEN connection's state: one JSON line on stderr, like the services' logs. */
export function logListenerChange(change: {
  readonly state: 'lost' | 'restored';
  readonly error?: unknown;
}): void {
  const reason = change.error instanceof Error ? `: ${change.error.message}` : '';
  process.stderr.write(
    `${JSON.stringify({
      level: change.state === 'lost' ? 'warn' : 'log',
      pid: process.pid,
      timestamp: Date.now(),
      message:
        change.state === 'lost'
          ? `event store LISTEN connection lost${reason}; re-opening (subscriptions poll meanwhile)`
          : 'event store LISTEN connection restored',
      context: 'event-store',
    })}\n`,
  );
}
