/**
 * Jest global setup of the `int` and `e2e` projects: a real Kafka broker for the run. Fetches the jars if
 * needed and starts the broker unless one already answers on KAFKA_PORT (default 9092); the lease (this
 * Jest process's pid) tells `kafka.sh release` in the teardown whether another run still uses the broker.
 * Tests find it in KAFKA_BROKERS. A KAFKA_BROKERS set by the caller is used as it is and never managed.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const KAFKA_SCRIPT = join(__dirname, '..', 'scripts', 'kafka', 'kafka.sh');

export default function kafkaGlobalSetup(): void {
  if (process.env['KAFKA_BROKERS'] && process.env['KAFKA_MANAGED_BY_JEST'] !== String(process.pid)) return;
  const port = process.env['KAFKA_PORT'] ?? '9092';
  const started = Date.now();
  execFileSync('bash', [KAFKA_SCRIPT, 'acquire', String(process.pid)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, KAFKA_PORT: port },
    timeout: 600_000,
  });
  process.env['KAFKA_BROKERS'] = `127.0.0.1:${port}`;
  process.env['KAFKA_MANAGED_BY_JEST'] = String(process.pid);
  process.stderr.write(`kafka: broker 127.0.0.1:${port} ready for this run (${Date.now() - started} ms)\n`);
}
