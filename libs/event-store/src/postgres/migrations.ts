import type { Pool } from 'pg';

/**
 * The event store's own tiny migration runner: versioned SQL in `MIGRATIONS`, applied in order inside one
 * transaction per run under an advisory lock, recorded in `<schema>.migrations`. TypeORM migrations are left
 * to the read models; the event store stays usable without TypeORM (the relay, the bench, other services).
 * Never edit an applied migration: add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL with `%s` standing for the quoted schema name. */
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events table and append function',
    sql: `
CREATE TABLE %s.events (
  -- transaction id * 1024 + index in the append: see the gap-safety comment in postgres-event-store.ts
  global_position bigint PRIMARY KEY,
  event_id        uuid        NOT NULL,
  stream          text        NOT NULL,
  revision        bigint      NOT NULL,
  type            text        NOT NULL,
  schema_version  integer     NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  transaction_id  xid8        NOT NULL,
  hash            text        NOT NULL,
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream, revision)
);

-- One round trip per append. Raises ES001 (wrong expected revision, DETAIL = actual revision or '') and
-- ES002 (event id reused with other content, DETAIL = the id). p_expected: -1 any, -2 no_stream,
-- -3 stream_exists, >= 0 exact revision.
CREATE FUNCTION %s.append_events(
  p_lock_key integer, p_stream text, p_stream_json text, p_expected bigint,
  p_ids uuid[], p_types text[], p_versions integer[], p_data jsonb[], p_metadata jsonb[], p_content text[]
) RETURNS TABLE (next_revision bigint, last_position bigint, replayed boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_n integer := cardinality(p_ids);
  v_found integer;
  v_same integer;
  v_offsets integer;
  v_conflict uuid;
  v_last_revision bigint;
  v_last_position bigint;
  v_current bigint;
  v_hash text;
  v_xid xid8;
  v_base bigint;
BEGIN
  -- Per-stream lock taken BEFORE the first write, so the transaction id (assigned at the first write) is
  -- ordered like the stream's revisions. Advisory, so it assigns no transaction id itself.
  PERFORM pg_advisory_xact_lock(p_lock_key, hashtext(p_stream));

  -- Idempotency: the same ids, same stream, same content, same order = a retry of a stored append.
  SELECT count(*)::integer,
         count(*) FILTER (WHERE c.same)::integer,
         count(DISTINCT e.revision - n.ord)::integer,
         (array_agg(n.id ORDER BY c.same, n.ord))[1],
         max(e.revision), max(e.global_position)
    INTO v_found, v_same, v_offsets, v_conflict, v_last_revision, v_last_position
    FROM unnest(p_ids, p_types, p_versions, p_data, p_metadata) WITH ORDINALITY
           AS n(id, type, version, data, metadata, ord)
    JOIN %s.events e ON e.event_id = n.id
    CROSS JOIN LATERAL (SELECT e.stream = p_stream AND e.type = n.type AND e.schema_version = n.version
                               AND e.data = n.data AND e.metadata = n.metadata AS same) c;
  IF v_found > 0 THEN
    IF v_found = v_n AND v_same = v_n AND v_offsets = 1 THEN
      RETURN QUERY SELECT v_last_revision, v_last_position, true;
      RETURN;
    END IF;
    RAISE EXCEPTION 'event id % is already stored with different content', v_conflict
      USING ERRCODE = 'ES002', DETAIL = v_conflict::text;
  END IF;

  SELECT e.revision, e.hash INTO v_current, v_hash
    FROM %s.events e WHERE e.stream = p_stream ORDER BY e.revision DESC LIMIT 1;
  IF (p_expected = -2 AND v_current IS NOT NULL)
     OR (p_expected = -3 AND v_current IS NULL)
     OR (p_expected >= 0 AND v_current IS DISTINCT FROM p_expected) THEN
    RAISE EXCEPTION 'wrong expected revision for stream %', p_stream
      USING ERRCODE = 'ES001', DETAIL = coalesce(v_current::text, '');
  END IF;
  v_current := coalesce(v_current, -1);
  v_hash := coalesce(v_hash, '');

  v_xid := pg_current_xact_id();
  v_base := v_xid::text::bigint * 1024;
  FOR i IN 1..v_n LOOP
    v_hash := encode(sha256(convert_to(
      v_hash || E'\\n' || p_stream_json || E'\\n' || (v_current + i)::text || E'\\n' || p_content[i], 'UTF8')), 'hex');
    INSERT INTO %s.events (global_position, event_id, stream, revision, type, schema_version, data, metadata,
                           transaction_id, hash)
    VALUES (v_base + i - 1, p_ids[i], p_stream, v_current + i, p_types[i], p_versions[i], p_data[i],
            p_metadata[i], v_xid, v_hash);
  END LOOP;
  RETURN QUERY SELECT v_current + v_n, v_base + v_n - 1, false;
END;
$fn$;
`,
  },
  {
    version: 2,
    name: 'append_batch: several appends in one transaction (application-level group commit)',
    sql: `
DROP FUNCTION %s.append_events(integer, text, text, bigint, uuid[], text[], integer[], jsonb[], jsonb[], text[]);

-- p_batch: [{stream, streamJson, expected, events: [{id, type, version, data, metadata, content}]}], at most
-- 1024 events in all. One result row per append, in order: status 'ok' | 'replayed' (idempotent retry: the
-- original result) | 'wrong' (actual_revision, NULL = no stream) | 'duplicate' (conflict_id). A failed append
-- never aborts the others; p_expected: -1 any, -2 no_stream, -3 stream_exists, >= 0 exact revision.
CREATE FUNCTION %s.append_batch(p_lock_key integer, p_batch jsonb)
RETURNS TABLE (ord integer, status text, next_revision bigint, last_position bigint, actual_revision bigint,
               conflict_id uuid)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_append jsonb;
  v_ord integer := 0;
  v_stream text;
  v_expected bigint;
  v_events jsonb;
  v_duplicate boolean;
  v_n integer;
  v_found integer;
  v_same integer;
  v_offsets integer;
  v_conflict uuid;
  v_last_revision bigint;
  v_last_position bigint;
  v_current bigint;
  v_hash text;
  v_xid xid8;
  v_base bigint;
  v_index bigint := 0;
  v_event jsonb;
BEGIN
  -- Lock every stream of the batch first, in one global order (batches never deadlock), and BEFORE the first
  -- write assigns the transaction id: within a stream, xid order (hence global order) = revision order.
  PERFORM pg_advisory_xact_lock(p_lock_key, k.key)
     FROM (SELECT DISTINCT hashtext(a->>'stream') AS key FROM jsonb_array_elements(p_batch) a ORDER BY 1) k;

  FOR v_append IN SELECT value FROM jsonb_array_elements(p_batch) LOOP
    v_ord := v_ord + 1;
    v_stream := v_append->>'stream';
    v_expected := (v_append->>'expected')::bigint;
    v_events := v_append->'events';
    v_n := jsonb_array_length(v_events);
    -- One statement for the common path: the stream's head and whether any of the ids is already stored.
    SELECT h.revision, h.hash,
           EXISTS (SELECT 1 FROM %s.events e
                    WHERE e.event_id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(v_events) x))
      INTO v_current, v_hash, v_duplicate
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (SELECT e.revision, e.hash FROM %s.events e WHERE e.stream = v_stream
                          ORDER BY e.revision DESC LIMIT 1) h ON true;

    -- Idempotency: the same ids, same stream, same content, same order = a retry of a stored append.
    IF v_duplicate THEN
      SELECT count(*)::integer,
             count(*) FILTER (WHERE c.same)::integer,
             count(DISTINCT e.revision - n.i)::integer,
             (array_agg(e.event_id ORDER BY c.same, n.i))[1],
             max(e.revision), max(e.global_position)
        INTO v_found, v_same, v_offsets, v_conflict, v_last_revision, v_last_position
        FROM jsonb_array_elements(v_events) WITH ORDINALITY AS n(ev, i)
        JOIN %s.events e ON e.event_id = (n.ev->>'id')::uuid
        CROSS JOIN LATERAL (SELECT e.stream = v_stream AND e.type = n.ev->>'type'
                                   AND e.schema_version = (n.ev->>'version')::integer
                                   AND e.data = n.ev->'data' AND e.metadata = n.ev->'metadata' AS same) c;
      ord := v_ord;
      next_revision := NULL;
      last_position := NULL;
      actual_revision := NULL;
      conflict_id := NULL;
      IF v_found = v_n AND v_same = v_n AND v_offsets = 1 THEN
        status := 'replayed';
        next_revision := v_last_revision;
        last_position := v_last_position;
      ELSE
        status := 'duplicate';
        conflict_id := v_conflict;
      END IF;
      RETURN NEXT;
      CONTINUE;
    END IF;

    IF (v_expected = -2 AND v_current IS NOT NULL)
       OR (v_expected = -3 AND v_current IS NULL)
       OR (v_expected >= 0 AND v_current IS DISTINCT FROM v_expected) THEN
      ord := v_ord;
      status := 'wrong';
      next_revision := NULL;
      last_position := NULL;
      actual_revision := v_current;
      conflict_id := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;
    v_current := coalesce(v_current, -1);
    v_hash := coalesce(v_hash, '');

    IF v_xid IS NULL THEN
      v_xid := pg_current_xact_id();
      v_base := v_xid::text::bigint * 1024;
    END IF;
    FOR i IN 1..v_n LOOP
      v_event := v_events->(i - 1);
      v_hash := encode(sha256(convert_to(v_hash || E'\\n' || (v_append->>'streamJson') || E'\\n'
                                         || (v_current + i)::text || E'\\n' || (v_event->>'content'), 'UTF8')), 'hex');
      INSERT INTO %s.events (global_position, event_id, stream, revision, type, schema_version, data, metadata,
                             transaction_id, hash)
      VALUES (v_base + v_index, (v_event->>'id')::uuid, v_stream, v_current + i, v_event->>'type',
              (v_event->>'version')::integer, v_event->'data', v_event->'metadata', v_xid, v_hash);
      v_index := v_index + 1;
    END LOOP;
    ord := v_ord;
    status := 'ok';
    next_revision := v_current + v_n;
    last_position := v_base + v_index - 1;
    actual_revision := NULL;
    conflict_id := NULL;
    RETURN NEXT;
  END LOOP;
END;
$fn$;
`,
  },
  {
    version: 3,
    name: 'stream names compare bytewise (COLLATE "C")',
    sql: `
-- Stream names are identifiers, never shown sorted to people: the "C" collation compares them as bytes
-- (the same order as C.UTF-8 or any UTF-8 code-point order) without a strcoll per comparison, and lets
-- PostgreSQL use abbreviated keys when it sorts them (index builds). Rebuilds the (stream, revision) index.
ALTER TABLE %s.events ALTER COLUMN stream TYPE text COLLATE "C";
`,
  },
];

export async function migrate(pool: Pool, schema: string): Promise<void> {
  const q = quoteIdent(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Several processes (tests, replicas) may start at once: one migrates, the others wait and see it done.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}:migrations`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${q}.migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${q}.migrations`);
    const applied = new Set(rows.map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql.replaceAll('%s', q));
      await client.query(`INSERT INTO ${q}.migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names are interpolated into SQL, so only plain lower-case identifiers are accepted. */
export function quoteIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`invalid schema name ${JSON.stringify(name)}: use [a-z_][a-z0-9_]*`);
  return `"${name}"`;
}
