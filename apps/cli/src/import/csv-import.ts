import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DomainError } from '@app/domain';
import { parse } from 'csv-parse/sync';
import { CliInputError, domainWording } from '../cli-context';

/** What every import is given: the file, who runs it and when, and whether it only validates. */
export interface ImportRequest {
  readonly file: string;
  readonly now: string;
  readonly operator: string;
  readonly correlationId: string;
  readonly dryRun?: boolean;
}

/** One refusal, with the CSV line it came from (line 1 is the header) and the column named. */
export interface RowError {
  readonly line: number;
  readonly column: string;
  readonly message: string;
}

export interface CsvRow {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

export interface CsvFile {
  readonly rows: readonly CsvRow[];
  /** sha256 of the file bytes: recorded as the events' causation, so an auditor can trace them to the file. */
  readonly sha256: string;
}

/** Thrown with EVERY row error found; the import then stores nothing. */
export class CsvRejectedError extends CliInputError {
  constructor(
    readonly file: string,
    readonly errors: readonly RowError[],
  ) {
    super(
      `${file}: ${errors.length} error(s), nothing imported\n` +
        errors.map((e) => `  line ${e.line}, ${e.column}: ${e.message}`).join('\n'),
    );
  }
}

/**
 * Reads a UTF-8 CSV (BOM allowed, header row required, exactly `columns` in any order, cells trimmed, empty
 * lines skipped). Syntax errors and a wrong header reject the file before any row is looked at.
 */
export async function readCsv(file: string, columns: readonly string[]): Promise<CsvFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CliInputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parse(bytes, {
      bom: true,
      columns: (h: string[]) => (header = h.map((c) => c.trim())),
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  } catch (error) {
    throw new CsvRejectedError(file, [
      { line: (error as { lines?: number }).lines ?? 0, column: '-', message: (error as Error).message },
    ]);
  }
  const missing = columns.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !columns.includes(c));
  if (missing.length > 0 || unknown.length > 0)
    throw new CsvRejectedError(file, [
      ...missing.map((c) => ({ line: 1, column: c, message: 'column missing from the header' })),
      ...unknown.map((c) => ({
        line: 1,
        column: c,
        message: `unknown column (expected: ${columns.join(', ')})`,
      })),
    ]);
  if (records.length === 0)
    throw new CsvRejectedError(file, [{ line: 2, column: '-', message: 'no data rows' }]);
  return {
    rows: records.map((r) => ({ line: r.info.lines, values: r.record })),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

const TRUE = ['true', 'yes', 'y', '1'];
const FALSE = ['false', 'no', 'n', '0'];

/** Booleans as operators type them in a spreadsheet: true/false, yes/no, y/n, 1/0 (any case). */
export function parseBool(value: string, column: string): boolean {
  const v = value.toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new RowRefusal(column, `${JSON.stringify(value)} is not a boolean (true/false, yes/no, 1/0)`);
}

/** A refusal of one cell; collected with its line number. */
export class RowRefusal extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Domain validation errors name a field path (`entries[0].repairScheme`, `saleDate`); map it back to the CSV
 * column. Anything else propagates.
 */
export function rowErrorOf(line: number, error: unknown, columnOf: (field: string) => string): RowError {
  if (error instanceof RowRefusal) return { line, column: error.column, message: error.message };
  if (error instanceof DomainError) {
    const field = (error as DomainError & { field?: string }).field;
    return { line, column: columnOf(field ?? ''), message: domainWording(error) };
  }
  throw error;
}

/** A stable UUID for (import kind, row content): re-running a half-applied import skips what is stored. */
export function deterministicEventId(...parts: readonly string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // RFC 9562 layout with version 8 (custom) and the RFC variant.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
