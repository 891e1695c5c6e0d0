import { CliInputError } from '../cli-context';

/**
 * `--as-of` / `--from` / `--to` accept an ISO-8601 instant (`2026-11-25T09:00:00+09:00`) or a calendar date.
 * A date means the END of that day in Japan time (the domain's calendar, DOMAIN.md decision 2) for `--as-of`
 * and `--to`, its START for `--from`: "as of 25 Nov" includes everything recorded on 25 Nov in Tokyo.
 */
export function parseInstant(value: string, flag: string, edge: 'start' | 'end'): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const text = date ? `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}+09:00` : value;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms))
    throw new CliInputError(
      `${flag}: ${JSON.stringify(value)} is not an ISO-8601 instant or YYYY-MM-DD date`,
    );
  return new Date(ms).toISOString();
}
