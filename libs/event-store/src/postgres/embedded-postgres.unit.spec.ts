import { collectOnGrowth, pgliteOptions } from './embedded-postgres';

const MB = 1024 * 1024;

describe('collectOnGrowth (the PGlite child between queries)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function harness(): { collections: () => number; grow: (mb: number) => void; stop: () => void } {
    let rss = 400 * MB;
    let collections = 0;
    const stop = collectOnGrowth(
      () => {
        collections++;
        rss = 150 * MB; // what the collection frees
      },
      () => rss,
      { intervalMs: 2000, slackBytes: 8 * MB },
    );
    return { collections: () => collections, grow: (mb) => (rss += mb * MB), stop };
  }

  it('collects at once, whatever the size', () => {
    const h = harness();
    jest.advanceTimersByTime(0);
    expect(h.collections()).toBe(1);
    h.stop();
  });

  it('collects again only after the RSS grew by more than the slack', () => {
    const h = harness();
    jest.advanceTimersByTime(0);
    h.grow(8);
    jest.advanceTimersByTime(10_000);
    expect(h.collections()).toBe(1);
    h.grow(1);
    jest.advanceTimersByTime(2000);
    expect(h.collections()).toBe(2);
    h.stop();
  });

  it('stops collecting when stopped', () => {
    const h = harness();
    h.stop();
    h.grow(100);
    jest.advanceTimersByTime(10_000);
    expect(h.collections()).toBe(0);
  });
});

describe('pgliteOptions', () => {
  const settings = (startParams: readonly string[] | undefined): string[] =>
    (startParams ?? []).flatMap((p, i, all) => (all[i - 1] === '-c' ? [p] : []));

  it('in memory: small shared buffers and small, few WAL segments', () => {
    const options = pgliteOptions({});
    expect(options.dataDir).toBeUndefined();
    expect(settings(options.startParams)).toEqual(
      expect.arrayContaining(['shared_buffers=8MB', 'min_wal_size=2MB', 'max_wal_size=8MB']),
    );
    expect(options.initDbStartParams).toEqual(['--wal-segsize=1']);
  });

  it("a data directory: small shared buffers, PostgreSQL's WAL sizes (its segment size is fixed at initdb)", () => {
    const options = pgliteOptions({ dataDir: '/tmp/x' });
    expect(options.dataDir).toBe('/tmp/x');
    expect(settings(options.startParams)).toContain('shared_buffers=8MB');
    expect(settings(options.startParams).filter((s) => s.includes('wal_size'))).toEqual([]);
    expect(options.initDbStartParams).toBeUndefined();
  });

  it("keeps PGlite's own start parameters (single-user mode, no parallel workers, search_path)", () => {
    const params = pgliteOptions({}).startParams ?? [];
    expect(params.slice(0, 3)).toEqual(['--single', '-F', '-O']);
    expect(params).toContain('search_path=public');
  });
});
