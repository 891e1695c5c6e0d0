/** Calendar dates relative to today in Japan time, so scenarios stay valid whatever day the tests run. */
export function tokyoToday(): string {
  return new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
}

export function daysAgo(days: number): string {
  const d = new Date(`${tokyoToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export function yearsAgo(years: number, plusDays = 0): string {
  const d = new Date(`${tokyoToday()}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString().slice(0, 10);
}
