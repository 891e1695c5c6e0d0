export interface UntilOptions {
  /** Default 15 s. */
  readonly timeoutMs?: number;
  /** Default 20 ms. */
  readonly intervalMs?: number;
  /** What the time-out message adds after `what` (e.g. the relay's status at that moment). */
  readonly detail?: () => unknown;
}

/** Polls `check` until it holds; past the time-out, fails with `timed out waiting for <what>`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  options: UntilOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (!(await check())) {
    if (Date.now() > deadline) {
      const detail = options.detail ? `: ${JSON.stringify(options.detail())}` : '';
      throw new Error(`timed out waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 20));
  }
}
