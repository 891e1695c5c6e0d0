/**
 * Embedded PostgreSQL: PGlite (Postgres compiled to WASM, in this process) behind a PostgreSQL wire-protocol
 * socket on 127.0.0.1, so the service and its tests use the SAME `pg` driver and SQL with nothing installed.
 *
 * How @electric-sql/pglite-socket 0.2.x treats several client connections (read from its source):
 * - PGlite is ONE backend session. `PGliteSocketServer` defaults to `maxConnections: 1` (Node drops further
 *   sockets) and, above that, funnels every client's protocol messages through one global queue.
 * - That queue only keeps a client exclusive while `db.isInTransaction()`, i.e. inside an explicit
 *   BEGIN..COMMIT. The extended protocol (Parse/Bind/Execute/Sync, which `pg` uses for every parameterised
 *   query) is several messages that are queued one by one, so two clients' parameterised queries can
 *   interleave and bind each other's unnamed statement. Also, after a failed message the queue stops
 *   processing for good (`return` while `processing` is still true).
 * - Session state (SET, search_path, LISTEN registrations, prepared statements) is shared by all clients, and a
 *   NOTIFY lands in the output of whichever client runs the next query, so LISTEN/NOTIFY is unusable.
 *
 * What we do: we reuse its exported `PGLiteSocketHandler` (wire framing, SSL refusal, cancel requests) with
 * our own queue, `ProtocolCycleQueue`, which keeps the session owned by one client from its first message
 * until PGlite answers ReadyForQuery with status Idle (`Z` + `I`): a whole simple query, a whole extended
 * cycle up to Sync, or a whole explicit transaction. Clients are therefore serialised per transaction and
 * any number of `pg` connections (ours, TypeORM's) can share the embedded database. Consequences:
 * - Never hold a transaction open on one connection while waiting for a query on another connection to the
 *   same embedded database: the second waits for the first to finish (deadlock). The server is fine.
 * - The event store adapter uses no LISTEN there (`notifications: 'poll'`) and never relies on session state;
 *   every identifier is schema-qualified.
 */
import { fork } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly connectionString: string;
  /** Resident set size (bytes) of the process PGlite runs in: the child, or this process when `inProcess`. */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory for a persistent database; omitted: in memory, gone on stop. */
  readonly dataDir?: string;
  /** Defaults to a random free port. */
  readonly port?: number;
  /**
   * Default false: PGlite runs in a child Node process. PGlite loads its parts with dynamic `import()`, which
   * Jest's module sandbox refuses (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG), and its WASM CPU work then stays
   * off the service's event loop. True: in this process (a plain `node` run only), with the PostgreSQL settings
   * of `EMBEDDED_POSTGRES_SETTINGS` but not its Node options, malloc tuning or collections (the child's own).
   */
  readonly inProcess?: boolean;
}

/**
 * What keeps the embedded database small (figures and reasons: README, "Embedded default: footprint").
 * None of it changes what SQL does; they are sizes of caches, of the WAL and of the engine running the WASM.
 */
export const EMBEDDED_POSTGRES_SETTINGS = {
  /** `-c` settings for every embedded database. PGlite's default is PostgreSQL's 128MB, nearly all touched. */
  server: ['shared_buffers=8MB'],
  /**
   * Only for the in-memory database, whose files (WAL included) are JavaScript buffers of the PGlite process:
   * 1 MB WAL segments instead of 16 MB, and few of them kept. A data directory keeps PostgreSQL's defaults (its
   * files are on disk, and an existing directory's segment size is fixed: min_wal_size must be 2 segments).
   */
  inMemoryInitdb: ['--wal-segsize=1'],
  inMemoryServer: ['min_wal_size=2MB', 'max_wal_size=8MB'],
  /**
   * Node options of the PGlite child. --liftoff-only: WASM stays on V8's baseline compiler; the optimising tier
   * kept ~55 MB resident after its compilations were done, and was no faster on this workload (README).
   * --max-semi-space-size=1: the child's JavaScript only passes messages, a 1 MB young generation suffices (the
   * default grows to 16 MB). --expose-gc: see `collectOnGrowth`.
   */
  childExecArgv: ['--liftoff-only', '--max-semi-space-size=1', '--expose-gc'],
  /**
   * glibc malloc of the child (ignored elsewhere): one arena (V8's background threads each got a 64 MB one that
   * stayed resident), and allocations from 128 kB up mapped on their own, so that the large buffers PGlite
   * frees (initdb's copy of the data directory, grown files) go back to the system instead of the heap.
   */
  childEnv: { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '131072' },
} as const;

/**
 * At once and then every `intervalMs`, a full GC when the RSS has grown by more than `slackBytes` since the
 * last one (the first check always collects). V8 collects the old generation under allocation pressure, which
 * a PGlite child between queries does not have (the api's 50 ms polls allocate little), so without this it
 * keeps garbage it no longer uses, above all the WASM memory of the throw-away instance PGlite runs initdb in
 * (~300 MB). Under sustained growth that is at most one collection (tens of ms) per `intervalMs`.
 */
export function collectOnGrowth(
  collect: () => void,
  rss: () => number = () => process.memoryUsage.rss(),
  { intervalMs = 2000, slackBytes = 8 * 1024 * 1024 } = {},
): () => void {
  let afterLast: number | undefined;
  const check = (): void => {
    if (afterLast !== undefined && rss() - afterLast <= slackBytes) return;
    collect();
    afterLast = rss();
  };
  const first = setTimeout(check, 0);
  const timer = setInterval(check, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

interface QueuedMessage {
  readonly handlerId: number;
  readonly message: Uint8Array;
  readonly onData: (data: Uint8Array) => void;
  readonly resolve: (bytes: number) => void;
  readonly reject: (error: Error) => void;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4

/** Serialises the single PGlite session per protocol cycle / transaction (see the file comment). */
export class ProtocolCycleQueue {
  private readonly queue: QueuedMessage[] = [];
  /** The handler whose cycle or transaction is still open; only it may run until PGlite is idle again. */
  private owner: number | undefined;
  private pumping = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const item = this.queue[i];
      if (item?.handlerId === handlerId) {
        this.queue.splice(i, 1);
        item.reject(new Error('client disconnected'));
      }
    }
  }

  /** A client left mid-cycle or mid-transaction: close its cycle and roll back, then let others run. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRaw(SYNC_MESSAGE);
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    });
    this.owner = undefined;
    void this.pump();
  }

  private next(): QueuedMessage | undefined {
    if (this.owner === undefined) return this.queue.shift();
    const i = this.queue.findIndex((q) => q.handlerId === this.owner);
    return i === -1 ? undefined : this.queue.splice(i, 1)[0];
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        // The last 6 bytes of the answer tell whether it ended with ReadyForQuery(Idle).
        let tail: Uint8Array<ArrayBuffer> = new Uint8Array(0);
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                tail = lastBytes(tail, data, 6);
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = undefined;
          current.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        const idle = tail.length === 6 && tail[0] === READY_FOR_QUERY && tail[5] === IDLE;
        this.owner = idle ? undefined : current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.pumping = false;
    }
  }
}

function lastBytes(previous: Uint8Array, data: Uint8Array, n: number): Uint8Array<ArrayBuffer> {
  if (data.length >= n) return data.slice(data.length - n);
  const joined = new Uint8Array(previous.length + data.length);
  joined.set(previous);
  joined.set(data, previous.length);
  return joined.slice(Math.max(0, joined.length - n));
}

/** Starts PGlite and serves it on 127.0.0.1 for any number of `pg` connections. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  return options.inProcess ? serveInProcess(options) : serveInChildProcess(options);
}

type ChildMessage =
  { readonly connectionString: string } | { readonly error: string } | { readonly rss: number };
type ParentMessage = 'stop' | 'rss';

async function serveInChildProcess(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  // Run from TypeScript sources (tests, swc-node) or from the compiled build alike.
  const execArgv = [
    ...(__filename.endsWith('.ts') ? ['-r', '@swc-node/register'] : []),
    ...EMBEDDED_POSTGRES_SETTINGS.childExecArgv,
  ];
  const child = fork(__filename, [], {
    execArgv,
    env: {
      ...EMBEDDED_POSTGRES_SETTINGS.childEnv,
      // Handed down to the child as it is (PATH, NODE_OPTIONS, a malloc setting of the caller's), not read here.
      // eslint-disable-next-line no-restricted-properties
      ...process.env,
      EMBEDDED_PG_CHILD: JSON.stringify({ ...options, inProcess: true }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const message = await new Promise<ChildMessage>((resolve, reject) => {
    child.once('message', (m) => resolve(m as ChildMessage));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL process exited with ${code}`)));
  });
  if (!('connectionString' in message)) {
    child.kill();
    throw new Error(`embedded PostgreSQL failed to start: ${'error' in message ? message.error : '?'}`);
  }
  // The child must not keep a parent (a test run, a CLI) alive, and dies with the parent's IPC channel.
  child.unref();
  child.channel?.unref();
  // Answers to 'rss' come in order: each takes the oldest waiting caller.
  const rssWaiters: { resolve(rss: number): void; reject(error: Error): void }[] = [];
  let gone = false;
  child.on('message', (m: ChildMessage) => {
    if ('rss' in m) rssWaiters.shift()?.resolve(m.rss);
  });
  child.once('exit', () => {
    gone = true;
    for (const w of rssWaiters.splice(0)) w.reject(new Error('embedded PostgreSQL process exited'));
  });
  let stopped = false;
  return {
    connectionString: message.connectionString,
    rss: () =>
      new Promise<number>((resolve, reject) => {
        if (gone || stopped) return reject(new Error('embedded PostgreSQL is stopped'));
        rssWaiters.push({ resolve, reject });
        child.send('rss' satisfies ParentMessage);
      }),
    async stop() {
      if (stopped) return;
      stopped = true;
      child.send('stop' satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** PGlite's options: the settings above on top of PGlite's default start parameters. */
export function pgliteOptions(options: EmbeddedPostgresOptions): PGliteOptions {
  const inMemory = options.dataDir === undefined;
  const settings = [
    ...EMBEDDED_POSTGRES_SETTINGS.server,
    ...(inMemory ? EMBEDDED_POSTGRES_SETTINGS.inMemoryServer : []),
  ];
  return {
    ...(inMemory ? {} : { dataDir: options.dataDir }),
    startParams: [...PGlite.defaultStartParams, ...settings.flatMap((s) => ['-c', s])],
    ...(inMemory ? { initDbStartParams: [...EMBEDDED_POSTGRES_SETTINGS.inMemoryInitdb] } : {}),
  };
}

async function serveInProcess(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(pgliteOptions(options));
  const queue = new ProtocolCycleQueue(db);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // The handler's queue type is a class with private fields; ours has the same public shape.
    const handler = new PGLiteSocketHandler({
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handler.attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped = false;
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    rss: () => Promise.resolve(process.memoryUsage.rss()),
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await db.close();
    },
  };
}

export interface ResolvedDatabase {
  readonly connectionString: string;
  /** True when this is the in-process PGlite (single session: see `startEmbeddedPostgres`). */
  readonly embedded: boolean;
  /** RSS (bytes) of the embedded database's process; undefined on a server. */
  databaseRss(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/**
 * The PostgreSQL server at `url` when given (the api's `DATABASE_URL`); otherwise an embedded PGlite, persisted
 * in `dataDir` when given (`EMBEDDED_PG_DATA_DIR`), in memory otherwise.
 */
export async function resolveDatabase(
  options: { readonly url?: string; readonly dataDir?: string } = {},
): Promise<ResolvedDatabase> {
  const url = options.url;
  if (url !== undefined && url !== '') {
    return {
      connectionString: url,
      embedded: false,
      databaseRss: () => Promise.resolve(undefined),
      stop: () => Promise.resolve(),
    };
  }
  const dataDir = options.dataDir;
  const embedded = await startEmbeddedPostgres(dataDir ? { dataDir } : {});
  return {
    connectionString: embedded.connectionString,
    embedded: true,
    databaseRss: () => embedded.rss(),
    stop: () => embedded.stop(),
  };
}

// Child-process entry point of `startEmbeddedPostgres` (see `inProcess`). EMBEDDED_PG_CHILD is the parent's
// message to its own child (the options, as JSON), not configuration.
// eslint-disable-next-line no-restricted-properties
const childOptions = require.main === module ? process.env['EMBEDDED_PG_CHILD'] : undefined;
if (childOptions !== undefined && process.send) {
  const options = JSON.parse(childOptions) as EmbeddedPostgresOptions;
  // `gc` exists with --expose-gc (EMBEDDED_POSTGRES_SETTINGS.childExecArgv).
  const gc = (globalThis as { gc?: () => void }).gc;
  serveInProcess(options).then(
    (embedded) => {
      // Twice: measured, the first full GC after initdb frees its buffers, only the second its WASM memory.
      const stopCollecting = gc
        ? collectOnGrowth(() => {
            gc();
            gc();
          })
        : () => undefined;
      const stop = (): void => {
        stopCollecting();
        embedded.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('message', (m: ParentMessage) => {
        if (m === 'rss') process.send?.({ rss: process.memoryUsage.rss() });
        else stop();
      });
      process.on('disconnect', stop);
      process.send?.({ connectionString: embedded.connectionString });
    },
    (error: unknown) => {
      process.send?.({ error: String(error) }, () => process.exit(1));
    },
  );
}
