import { execFileSync } from 'node:child_process';

import { KAFKA_SCRIPT } from './kafka-global-setup';

/** Drops this run's lease; the broker stops only if a test run started it and no other run still uses it. */
export default function kafkaGlobalTeardown(): void {
  if (process.env['KAFKA_MANAGED_BY_JEST'] !== String(process.pid)) return;
  execFileSync('bash', [KAFKA_SCRIPT, 'release', String(process.pid)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, KAFKA_PORT: process.env['KAFKA_PORT'] ?? '9092' },
    timeout: 60_000,
  });
}
