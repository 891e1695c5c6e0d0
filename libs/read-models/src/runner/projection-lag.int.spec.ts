import { randomUUID } from 'node:crypto';
import type { PostgresEventStore, RecordedEvent } from '@app/event-store';
import { scratchSchemas, toStoredEvents } from '@app/event-store/testing';
import type { DataSource } from 'typeorm';
import { openReadModelDataSource } from '../data-source';
import type { Projection } from './projection';
import { LAG_COUNT_CAP, LAG_PROBE_TTL_MS, ProjectionRunner } from './projection-runner';
import { closeRunnerSuite, openSuiteStore } from './runner-suite.test-support';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A projection whose batches wait at a gate the test opens one at a time (or for good). */
class GatedProjection implements Projection {
  readonly name = 'lag_gate';
  readonly eventTypes = ['LagProbed'];
  readonly tables: readonly string[] = [];
  private readonly waiting: { release: () => void; fail: (error: Error) => void }[] = [];
  private entered: (() => void) | undefined;
  private open = false;

  apply(): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((release, fail) => {
      this.waiting.push({ release, fail });
      this.entered?.();
    });
  }

  /** Resolves once a batch waits at the gate. */
  async batchWaiting(): Promise<void> {
    while (this.waiting.length === 0) await new Promise<void>((resolve) => (this.entered = resolve));
  }

  releaseOne(): void {
    this.waiting.shift()?.release();
  }

  failOne(error: Error): void {
    this.waiting.shift()?.fail(error);
  }

  openForGood(): void {
    this.open = true;
    for (const batch of this.waiting.splice(0)) batch.release();
  }
}

function probed(n: number): ReturnType<typeof toStoredEvents> {
  return toStoredEvents(
    Array.from({ length: n }, () => ({ type: 'LagProbed', schemaVersion: 1, data: { by: 'system:test' } })),
  );
}

describe('ProjectionRunner lag: kept by the runner, one probe of the store a window (server)', () => {
  const schemas = scratchSchemas('lag', { events: 'es', readModels: 'rm', gated: 'gt', failing: 'fl' });
  let store: PostgresEventStore;
  let readModels: DataSource;
  let runner: ProjectionRunner;
  /** The runner's clock: the test moves it (the probe's lifetime and msBehind are measured with it). */
  let now = Date.now();

  const append = async (n: number): Promise<RecordedEvent[]> => {
    const stream = `lag-${randomUUID()}`;
    await store.appendToStream(stream, probed(n), { expectedRevision: 'no_stream' });
    return store.readStream(stream);
  };
  /** Moves the clock past the probe's lifetime: the next lag() probes the store again. */
  const nextWindow = (): void => {
    now += LAG_PROBE_TTL_MS;
  };

  beforeAll(async () => {
    store = await openSuiteStore(url, schemas);
    readModels = await openReadModelDataSource({ url, schema: schemas.readModels, poolSize: 3 });
    const open = new GatedProjection();
    open.openForGood();
    runner = new ProjectionRunner(store, readModels, [open], console, 500, { clock: () => now });
    await append(3);
    await runner.start();
  });
  afterAll(() => closeRunnerSuite(url, schemas, { runner, readModels, store }));
  afterEach(() => jest.restoreAllMocks());

  it('caught up: 0 behind; stopped while events are appended: exactly those, aged from the oldest; restarted: 0', async () => {
    nextWindow();
    expect(await runner.lag()).toEqual({
      eventsBehind: 0,
      msBehind: 0,
      position: runner.position(),
      running: true,
    });
    const caughtUpAt = runner.position();

    await runner.stop();
    const [oldest] = await append(4);
    await append(2);
    now = Date.parse(oldest!.recordedAt) + 5_000;
    expect(await runner.lag()).toEqual({
      eventsBehind: 6,
      msBehind: 5_000,
      position: caughtUpAt,
      running: false,
    });

    await append(1);
    now += 2 * LAG_PROBE_TTL_MS;
    expect(await runner.lag()).toMatchObject({ eventsBehind: 7, msBehind: 5_000 + 2 * LAG_PROBE_TTL_MS });

    await runner.start();
    expect(await runner.lag()).toEqual({
      eventsBehind: 0,
      msBehind: 0,
      position: runner.position(),
      running: true,
    });
    expect(runner.position()).toBeGreaterThan(caughtUpAt);
  });

  it('calls within one window share one probe of the store, and read no events', async () => {
    const probes = jest.spyOn(store, 'readTail');
    const reads = jest.spyOn(store, 'readAll');
    nextWindow();
    await Promise.all(Array.from({ length: 5 }, () => runner.lag()));
    for (let i = 0; i < 5; i++) await runner.lag();
    now += LAG_PROBE_TTL_MS - 1;
    await runner.lag();
    expect(probes).toHaveBeenCalledTimes(1);
    expect(probes).toHaveBeenCalledWith({ after: runner.position(), maxCount: LAG_COUNT_CAP });

    now += 1;
    await runner.lag();
    expect(probes).toHaveBeenCalledTimes(2);
    expect(reads).not.toHaveBeenCalled();
  });

  it('a failed probe is not kept: the next call asks the store again', async () => {
    const probes = jest.spyOn(store, 'readTail').mockRejectedValueOnce(new Error('store unreachable'));
    nextWindow();
    await expect(runner.lag()).rejects.toThrow('store unreachable');
    expect(await runner.lag()).toMatchObject({ eventsBehind: 0, running: true });
    expect(probes).toHaveBeenCalledTimes(2);
  });

  it('while a backlog is applied, the runner moves its figures itself, never 0 before the last batch', async () => {
    const gate = new GatedProjection();
    const gatedModels = await openReadModelDataSource({ url, schema: schemas.gated, poolSize: 3 });
    const gated = new ProjectionRunner(store, gatedModels, [gate], console, 2, { clock: () => now });
    const probes = jest.spyOn(store, 'readTail');
    try {
      const all = await store.readAll({ maxCount: 10_000 });
      const started = gated.start();
      await gate.batchWaiting();
      now = Date.parse(all[0]!.recordedAt) + 60_000;
      expect(await gated.lag()).toMatchObject({ eventsBehind: all.length, msBehind: 60_000, position: -1 });

      gate.releaseOne();
      await gate.batchWaiting();
      // Same window, no new probe: behind by what the probe counted minus the batch applied since.
      expect(await gated.lag()).toMatchObject({
        eventsBehind: all.length - 2,
        msBehind: now - Date.parse(all[1]!.recordedAt),
        position: all[1]!.globalPosition,
      });

      gate.openForGood();
      await started;
      expect(await gated.lag()).toMatchObject({
        eventsBehind: 0,
        msBehind: 0,
        position: all.at(-1)!.globalPosition,
      });
      expect(probes).toHaveBeenCalledTimes(1);
    } finally {
      gate.openForGood();
      await gated.stop();
      await gatedModels.destroy();
    }
  });

  it('after its subscription failed: asked again at once, behind by every unapplied event until the restarted runner applies them', async () => {
    const gate = new GatedProjection();
    const failingModels = await openReadModelDataSource({ url, schema: schemas.failing, poolSize: 3 });
    const failing = new ProjectionRunner(store, failingModels, [gate], { error: () => undefined }, 500, {
      clock: () => now,
    });
    const probes = jest.spyOn(store, 'readTail');
    try {
      const all = await store.readAll({ maxCount: 10_000 });
      const started = failing.start();
      await gate.batchWaiting();
      expect(await failing.lag()).toMatchObject({ eventsBehind: all.length, running: true });

      // The batch fails (its transaction rolls back): within the same window the store is asked again, and
      // the restart (after RESTART_DELAY_MS) waits at the gate, so nothing is applied whatever its timing.
      gate.failOne(new Error('projection broke'));
      await expect(started).rejects.toThrow('projection broke');
      expect(await failing.lag()).toMatchObject({
        eventsBehind: all.length,
        position: -1,
        lastError: 'projection broke',
      });
      expect(probes).toHaveBeenCalledTimes(2);

      gate.openForGood();
      expect(await failing.waitFor(all.at(-1)!.globalPosition, 15_000)).toBe(true);
      nextWindow();
      expect(await failing.lag()).toEqual({
        eventsBehind: 0,
        msBehind: 0,
        position: all.at(-1)!.globalPosition,
        running: true,
      });
    } finally {
      gate.openForGood();
      await failing.stop();
      await failingModels.destroy();
    }
  });
});
