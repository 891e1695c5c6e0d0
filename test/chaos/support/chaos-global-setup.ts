/**
 * Global setup of the `chaos` project: the Kafka broker of the int/e2e tiers (same setup, same lease), then
 * one build of the api (`nest build api` → dist/), which every scenario starts as a real process.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import kafkaGlobalSetup from '../../kafka-global-setup';

export default function chaosGlobalSetup(): void {
  kafkaGlobalSetup();
  const root = join(__dirname, '..', '..', '..');
  const started = Date.now();
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', 'api'],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 120_000,
    },
  );
  process.stderr.write(`chaos: api built into dist/ (${Date.now() - started} ms)\n`);
}
