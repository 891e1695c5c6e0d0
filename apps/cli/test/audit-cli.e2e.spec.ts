import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TicketClient } from '../../../test/e2e/ticket-client';
import { PARTNER_A, repairRequest, UNITS } from '../../../test/support/fixtures';
import { tokyoToday } from '../../../test/support/dates';
import { useCliTestApp } from './cli-test-app';
import { runCli } from './run-cli';

/** The auditor's CLI commands, run as real processes against the api's private schemas (importers: import-cli). */
describe('CLI: verify, anchor, ticket-history, export-audit (server)', () => {
  let ticketId: string;
  const cli = useCliTestApp(async ({ t }) => {
    const partner = new TicketClient(t, t.tokens.partner(PARTNER_A));
    ticketId = (await partner.file(repairRequest(UNITS.cameraPickup))).ticketId;
    const support = new TicketClient(t, t.tokens.support);
    await partner.act(ticketId, 'send-failed-unit', { carrier: 'Sagawa', trackingNumber: '9000-1' });
    await support.act(ticketId, 'receive-failed-unit', {
      receivedOn: tokyoToday(),
      serialNumber: UNITS.cameraPickup.serialNumber,
    });
  });

  it('ticket-history --json replays the stream with the domain evolve', async () => {
    const run = await cli.run(['ticket-history', ticketId, '--json']);
    expect(run.code).toBe(0);
    const h = JSON.parse(run.stdout) as {
      events: { type: string; statusAfter: string }[];
      state: { status: string };
    };
    expect(h.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'RepairRequested',
        'WarrantyAssessed',
        'Escalated',
        'FailedUnitSent',
        'FailedUnitReceived',
      ]),
    );
    expect(h.state.status).toBe('failed_unit_received');
    const api = await new TicketClient(cli.t, cli.t.tokens.auditor).get(ticketId);
    expect(h.state.status).toBe(api.status);
  });

  it('ticket-history --as-of leaves out later events and shows the state then', async () => {
    const rows = await cli.t.sql<{ recorded_at: Date; type: string }>(
      `SELECT recorded_at, type FROM "${cli.t.schemas.events}".events WHERE stream = $1 ORDER BY revision`,
      [`ticket-${ticketId}`],
    );
    const sent = rows.find((r) => r.type === 'FailedUnitSent');
    const asOf = new Date(sent!.recorded_at.getTime() - 1).toISOString();
    const run = await cli.run(['ticket-history', ticketId, '--as-of', asOf, '--json']);
    expect(run.code).toBe(0);
    const h = JSON.parse(run.stdout) as {
      events: { type: string }[];
      laterEvents: number;
      state: { status: string };
    };
    expect(h.events.map((e) => e.type)).not.toContain('FailedUnitSent');
    expect(h.laterEvents).toBe(2);
    expect(h.state.status).toBe('escalated');
    const table = await cli.run(['ticket-history', ticketId]);
    expect(table.stdout).toMatch(/FailedUnitReceived\s+support:/);
  });

  it('ticket-history --as-of before the ticket existed exits 2 and says when it began', async () => {
    const [first] = await cli.t.sql<{ recorded_at: Date }>(
      `SELECT recorded_at FROM "${cli.t.schemas.events}".events WHERE stream = $1 AND revision = 0`,
      [`ticket-${ticketId}`],
    );
    const before = new Date(first!.recorded_at.getTime() - 1).toISOString();
    const run = await cli.run(['ticket-history', ticketId, '--as-of', before, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`ticket ${ticketId} did not exist yet at ${before}`);
  });

  it('help names the program as the README calls it; a reader that goes away early is no crash', async () => {
    const help = await runCli(['verify', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('Usage: npm run cli -- verify [options]');
    // `verify | head -0`: the pipe is closed before the CLI writes its first line.
    const closed = await cli.run(['verify'], { closeStdout: true });
    expect(closed.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(closed.code).toBe(0);
  });

  it('ticket-history of an unknown ticket exits 2 with a clear message', async () => {
    const run = await cli.run(['ticket-history', '00000000-0000-4000-8000-000000000000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no ticket 00000000-0000-4000-8000-000000000000/);
  });

  it('export-audit writes JSON Lines whose hashes an outsider recomputes from the documented recipe', async () => {
    const out = join(cli.dir, 'audit.jsonl');
    const run = await cli.run(['export-audit', '--ticket', ticketId, '--out', out]);
    expect(run.code).toBe(0);
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditLine);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    let prev = '';
    for (const l of lines) {
      expect(l.prevHash).toBe(prev);
      expect(recipeHash(l)).toBe(l.hash);
      prev = l.hash;
    }
    // The period's end from the database's clock, which stamps recorded_at (not this process's clock).
    const [end] = await cli.t.sql<{ to: string }>(
      `SELECT to_char((now() + interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS to`,
    );
    const period = await cli.run(['export-audit', '--from', '2000-01-01', '--to', end!.to]);
    expect(period.code).toBe(0);
    expect(period.stdout.trim().split('\n')).toHaveLength(await cli.eventCount());
  });

  it('verify passes on the untouched store, then names the event whose data was edited in PostgreSQL', async () => {
    const clean = await cli.run(['verify']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^OK: \d+ events in \d+ stream\(s\), every hash chain intact/);

    const [victim] = await cli.t.sql<{ global_position: string; revision: string; hash: string }>(
      `SELECT global_position, revision, hash FROM "${cli.t.schemas.events}".events WHERE stream = $1 AND type = 'FailedUnitSent'`,
      [`ticket-${ticketId}`],
    );
    await cli.t.sql(
      `UPDATE "${cli.t.schemas.events}".events SET data = jsonb_set(data, '{trackingNumber}', '"TAMPERED"') WHERE global_position = $1`,
      [victim!.global_position],
    );
    const run = await cli.run(['verify']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('BROKEN');
    expect(run.stdout).toContain(`stream:          ticket-${ticketId}`);
    expect(run.stdout).toContain(`revision:        ${victim!.revision}`);
    expect(run.stdout).toContain(`global position: ${victim!.global_position}`);
    expect(run.stdout).toContain(`stored hash:     ${victim!.hash}`);
    expect(run.stdout).toMatch(/expected hash: {3}[0-9a-f]{64}/);
    const one = await cli.run(['verify', '--stream', `ticket-${ticketId}`]);
    expect(one.code).toBe(1);
  });

  it('verify --against a signed anchor catches a rewrite whose chain was recomputed, which plain verify passes', async () => {
    const keys = generateKeyPairSync('ed25519');
    const privatePem = join(cli.dir, 'anchor.key');
    const publicPem = join(cli.dir, 'anchor.pub');
    await writeFile(privatePem, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(publicPem, keys.publicKey.export({ type: 'spki', format: 'pem' }));
    const anchorFile = join(cli.dir, 'anchor.json');
    const made = await cli.run(['anchor', '--key', privatePem, '--out', anchorFile]);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^ANCHOR: \d+ stream\(s\) up to position \d+ of PostgreSQL schema /);
    const anchor = JSON.parse(await readFile(anchorFile, 'utf8')) as {
      root: string;
      heads: { stream: string; revision: number; hash: string }[];
    };
    const stream = `partner-${PARTNER_A}`;
    expect(anchor.heads.map((h) => h.stream)).toContain(stream);
    const verifyAgainst = (file: string, ...only: string[]) =>
      cli.run(['verify', ...only, '--against', file, '--public-key', publicPem]);

    // The partner's stream is intact: against the anchor it verifies.
    const before = await verifyAgainst(anchorFile, '--stream', stream);
    expect(before.stdout).toMatch(/^OK: .* 1 anchored head\(s\) unchanged since /);
    expect(before.code).toBe(0);

    // The insider's rewrite: rename the partner in its first event and recompute the stream's chain with the
    // documented recipe, so the chain is consistent again.
    const rows = await cli.t.sql<AuditLine & { schema_version: number; global_position: string }>(
      `SELECT global_position, stream, revision::int AS revision, type, schema_version, data, metadata
         FROM "${cli.t.schemas.events}".events WHERE stream = $1 ORDER BY revision`,
      [stream],
    );
    let prevHash = '';
    for (const row of rows) {
      const data = row.revision === 0 ? { ...(row.data as object), name: 'Rewritten partner' } : row.data;
      const hash = recipeHash({ ...row, schemaVersion: row.schema_version, data, prevHash });
      await cli.t.sql(
        `UPDATE "${cli.t.schemas.events}".events SET data = $2::jsonb, hash = $3 WHERE global_position = $1`,
        [row.global_position, JSON.stringify(data), hash],
      );
      prevHash = hash;
    }
    const plain = await cli.run(['verify', '--stream', stream]);
    expect(plain.code).toBe(0); // the chain alone cannot see it
    const against = await verifyAgainst(anchorFile, '--stream', stream);
    expect(against.code).toBe(1);
    const head = anchor.heads.find((h) => h.stream === stream)!;
    expect(against.stdout).toContain(`stream:          ${stream}`);
    expect(against.stdout).toContain(`anchored hash:   ${head.hash}`);
    expect(against.stdout).toContain('its hashes were recomputed after an edit');

    // A forged anchor (another root) or another signer's key is refused before anything is compared.
    const forged = join(cli.dir, 'forged.json');
    await writeFile(forged, JSON.stringify({ ...anchor, root: '0'.repeat(64) }));
    const refused = await verifyAgainst(forged);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('ANCHOR INVALID: the anchor signature does not verify');

    // One ticket alone: its head and Merkle proof lead to the signed root (checked here independently).
    const proofRun = await cli.run(['anchor-proof', anchorFile, ticketId]);
    expect(proofRun.code).toBe(0);
    const { head: th, proof } = JSON.parse(proofRun.stdout) as {
      head: { stream: string; revision: number; hash: string };
      proof: { side: 'left' | 'right'; hash: string }[];
    };
    expect(th.stream).toBe(`ticket-${ticketId}`);
    const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
    const top = proof.reduce(
      (h, step) => (step.side === 'right' ? sha(`\x01${h}${step.hash}`) : sha(`\x01${step.hash}${h}`)),
      sha(`\0${JSON.stringify([th.stream, th.revision, th.hash])}`),
    );
    expect(top).toBe(anchor.root);
  });
});

interface AuditLine {
  stream: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  hash: string;
  prevHash: string;
}

/** The recipe from apps/cli/README.md, written here independently of the store's code. */
function recipeHash(l: AuditLine): string {
  const canonical = (v: unknown): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  };
  const text = `${l.prevHash}\n${JSON.stringify(l.stream)}\n${l.revision}\n${canonical([l.type, l.schemaVersion, l.data, l.metadata])}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
