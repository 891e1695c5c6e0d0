export interface LatencyStats {
  readonly label: string;
  readonly calls: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** One event per call, so calls/s = events/s. */
export function appendSummary(label: string, latenciesMs: readonly number[], seconds: number): LatencyStats {
  const sorted = [...latenciesMs].sort((x, y) => x - y);
  return {
    label,
    calls: sorted.length,
    eventsPerSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

export function formatRate(s: LatencyStats): string {
  return `${s.label.padEnd(16)} ${s.eventsPerSecond.toFixed(0).padStart(7)} events/s  p50 ${s.p50Ms.toFixed(2)} ms  p99 ${s.p99Ms.toFixed(2)} ms  (${s.calls} calls)`;
}
