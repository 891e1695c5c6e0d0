import { runCli } from './run-cli';

/**
 * With EVENTSTORE_URL set the CLI opens KurrentDB (the configured store), never the PostgreSQL event store.
 * No KurrentDB node runs here, so the URL points at a port nobody listens on (127.0.0.1:1, refused at once):
 * each command must say that KurrentDB cannot be reached and exit 5, without printing an answer about the
 * PostgreSQL schema (which DATABASE_URL still names, for the read models).
 */
describe('CLI with EVENTSTORE_URL: opens KurrentDB, reports it unreachable (no node here)', () => {
  const env = {
    DATABASE_URL: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    EVENTSTORE_URL: 'kurrentdb://127.0.0.1:1?tls=false',
  };
  const commands: ReadonlyArray<[string, string[]]> = [
    ['verify', ['verify']],
    ['verify --stream', ['verify', '--stream', 'ticket-00000000-0000-4000-8000-000000000000']],
    ['ticket-history', ['ticket-history', '00000000-0000-4000-8000-000000000000']],
    ['export-audit --ticket', ['export-audit', '--ticket', '00000000-0000-4000-8000-000000000000']],
    ['export-audit --from --to', ['export-audit', '--from', '2026-01-01', '--to', '2026-01-02']],
  ];

  it.each(commands)(
    '%s: "cannot reach KurrentDB at …", exit 5, nothing about PostgreSQL',
    async (_name, args) => {
      const run = await runCli(args, env);
      expect(run.stderr).toContain('cannot reach KurrentDB at kurrentdb://127.0.0.1:1?tls=false');
      expect(run.stderr).toContain('Nothing was checked or changed');
      expect(run.code).toBe(5);
      expect(run.stdout).not.toMatch(/^OK/m);
      expect(run.stdout).not.toContain('PostgreSQL');
    },
  );

  it('a credential in EVENTSTORE_URL is not printed', async () => {
    const run = await runCli(['verify'], {
      ...env,
      EVENTSTORE_URL: 'kurrentdb://admin:s3cret@127.0.0.1:1?tls=false',
    });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('cannot reach KurrentDB at kurrentdb://127.0.0.1:1?tls=false');
    expect(run.stderr).not.toContain('s3cret');
  });
});
