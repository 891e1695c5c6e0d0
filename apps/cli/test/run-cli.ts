import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = resolve(__dirname, '../../..');

/** Runs the real CLI (`node -r @swc-node/register apps/cli/src/main.ts`) as a child process, asynchronously. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  /** closeStdout: close the reading end at once, as `cli … | head -0` does (the CLI then meets EPIPE). */
  options: { readonly closeStdout?: boolean } = {},
): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
