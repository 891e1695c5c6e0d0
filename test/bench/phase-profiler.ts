import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/** CPU profile of one phase at a time, through the inspector (no profiler overhead outside the phases). */
export class PhaseProfiler {
  private readonly session = new Session();
  private phase: string | undefined;

  constructor(private readonly dir: string) {
    this.session.connect();
  }

  private post(method: string): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  }

  async start(phase: string): Promise<void> {
    this.phase = phase;
    await this.post('Profiler.enable');
    await this.post('Profiler.start');
  }

  async stop(): Promise<void> {
    if (!this.phase) return;
    const { profile } = (await this.post('Profiler.stop')) as { profile: unknown };
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, `${this.phase}.cpuprofile`), JSON.stringify(profile));
    this.phase = undefined;
  }
}
