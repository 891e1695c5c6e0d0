import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '../auth/token';
import { READ_MODEL_SQL, type SqlConnection } from '../infrastructure/runtime';

/** A working day, whatever the token's own lifetime (it can only shorten a session, never lengthen it). */
export const MAX_SESSION_SECONDS = 12 * 3600;

/** What the random id in the shape of a session cookie looks like: 32 bytes, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Server-side sessions of the operations dashboard. The `ops_session` cookie holds a random id; the table holds
 * only its SHA-256 (a read of the table yields no usable cookie), the principal and the expiry. Sign-out deletes
 * the row, so the old cookie is dead at once.
 *
 * `dashboard_session` lives in the read-model schema but is NOT a read model: nothing projects into it and a
 * rebuild leaves it alone (rebuilds move only the projections' own tables). It is created here, idempotently,
 * rather than by the read-model migration, which belongs to the projections.
 */
@Injectable()
export class DashboardSessions implements OnModuleInit {
  constructor(@Inject(READ_MODEL_SQL) private readonly db: SqlConnection) {}

  async onModuleInit(): Promise<void> {
    await this.db.query(`CREATE TABLE IF NOT EXISTS dashboard_session (
      id_hash text COLLATE "C" PRIMARY KEY,
      subject text NOT NULL,
      role text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`);
  }

  /** A new session for `principal`, ending at the token's expiry or after 12 h, whichever comes first. */
  async open(
    principal: Principal,
    tokenExpiresAtSeconds: number,
  ): Promise<{ id: string; maxAgeSeconds: number }> {
    const id = randomBytes(32).toString('base64url');
    const maxAgeSeconds = Math.max(
      0,
      Math.min(MAX_SESSION_SECONDS, tokenExpiresAtSeconds - Math.floor(Date.now() / 1000)),
    );
    // Expired rows are swept on each sign-in: sessions are few (operators), no timer needed.
    await this.db.query(`DELETE FROM dashboard_session WHERE expires_at < now()`);
    await this.db.query(
      `INSERT INTO dashboard_session (id_hash, subject, role, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [hash(id), principal.subject, principal.role, maxAgeSeconds],
    );
    return { id, maxAgeSeconds };
  }

  /** The principal of a live session, or undefined (unknown, expired or signed out). */
  async principal(id: string | undefined): Promise<Principal | undefined> {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const rows = await this.db.query<{ subject: string; role: string }[]>(
      `SELECT subject, role FROM dashboard_session WHERE id_hash = $1 AND expires_at > now()`,
      [hash(id)],
    );
    const row = rows[0];
    // Only ops tokens open sessions; anything else in the table is not a session this code made.
    return row?.role === 'ops' ? { role: 'ops', subject: row.subject } : undefined;
  }

  async close(id: string | undefined): Promise<void> {
    if (id && SESSION_ID.test(id))
      await this.db.query(`DELETE FROM dashboard_session WHERE id_hash = $1`, [hash(id)]);
  }
}

const hash = (id: string): string => createHash('sha256').update(id).digest('hex');
