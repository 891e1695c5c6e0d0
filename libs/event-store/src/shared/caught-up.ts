/**
 * The `caughtUp` promise of a subscription, with its two settlers. It rejects when the subscription fails before
 * catching up (it used to never settle, so an awaiting `ProjectionRunner.start` hung); the error also goes to the
 * subscription's onError, so a caller that never awaits caughtUp must not get an unhandled rejection: the
 * promise is marked handled here. Settling it again later has no effect.
 */
export interface CaughtUpSignal {
  readonly caughtUp: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export function caughtUpSignal(): CaughtUpSignal {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const caughtUp = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  caughtUp.catch(() => undefined);
  return { caughtUp, resolve, reject };
}
