import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PARTNER_A, UNITS } from '../../../test/support/fixtures';
import { poll, useCliTestApp } from './cli-test-app';

const SAMPLE = 'apps/cli/samples/catalog-sample.csv';

/** The importers' CLI commands, run as real processes against the api's private schemas. */
describe('CLI: import-catalog, import-sales (server)', () => {
  const cli = useCliTestApp();
  /** A CSV file of these lines in the scratch folder. */
  const csv = async (name: string, lines: readonly string[]): Promise<string> => {
    const file = join(cli.dir, name);
    await writeFile(file, lines.join('\n'));
    return file;
  };
  const importCatalog = (file: string, version: string) =>
    cli.run(['import-catalog', file, '--catalog-version', version, '--published-at', '2026-01-01']);

  it('import-catalog refuses a file with bad rows, naming each line and column, and stores nothing', async () => {
    const file = await csv('bad-catalog.csv', [
      'model_number,name,category,on_covered_list,product_warranty,repairable,repair_scheme',
      'WV-NEW1,camera,camera,true,true,true,replacement',
      'WV-NEW2,camera,telescope,true,true,true,replacement',
      'WV-NEW3,bracket,bracket,true,false,false,',
      'WV-NEW1,dup,camera,maybe,true,true,replacement',
    ]);
    const before = await cli.eventCount();
    const run = await importCatalog(file, 'cli-bad');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/line 3, category: "telescope" is not one of/);
    expect(run.stderr).toMatch(
      /line 4, on_covered_list: an unrepairable model cannot be on the covered list/,
    );
    expect(run.stderr).toMatch(/line 5, on_covered_list: "maybe" is not a boolean/);
    expect(run.stderr).toMatch(/nothing imported/);
    expect(await cli.eventCount()).toBe(before);
  });

  it('import-catalog publishes the sample covered list as a new version through the decider', async () => {
    const run = await importCatalog(SAMPLE, 'cli-2026-01');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/published catalog version cli-2026-01: 5 models, 4 on the covered list/);
    const res = await poll(() =>
      cli.t.http.get('/catalog/versions/cli-2026-01').set('authorization', `Bearer ${cli.t.tokens.support}`),
    );
    expect((res.body as { entries: unknown[] }).entries).toHaveLength(5);
    const again = await importCatalog(SAMPLE, 'cli-2026-01');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('import-sales is all or nothing: one bad row (unknown partner, duplicate serial, bad date) stores nothing', async () => {
    const file = await csv('bad-sales.csv', [
      'serial_number,model_number,partner_id,sale_date,sold_in_japan',
      `CLI-OK-1,WV-S1136,${PARTNER_A},2025-01-01,true`,
      'CLI-OK-2,WV-S1136,NOBODY,2025-01-01,true',
      `CLI-OK-1,WV-S1136,${PARTNER_A},2025-01-01,true`,
      `CLI-OK-3,WV-S1136,${PARTNER_A},2025-13-01,true`,
      `${UNITS.cameraPickup.serialNumber},WV-S1136,${PARTNER_A},2025-01-01,true`,
    ]);
    const before = await cli.eventCount();
    const run = await cli.run(['import-sales', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/line 3, partner_id: no registered partner "NOBODY"/);
    expect(run.stderr).toMatch(/line 4, serial_number: duplicate of line 2/);
    expect(run.stderr).toMatch(/line 5, sale_date:/);
    expect(run.stderr).toContain('line 6, serial_number: sale already recorded\n');
    expect(run.stderr).not.toContain('RecordUnitSale');
    expect(await cli.eventCount()).toBe(before);
  });

  it('import-sales records every row of a valid file; running it again appends nothing', async () => {
    const file = await csv('sales.csv', [
      'serial_number,model_number,partner_id,sale_date,sold_in_japan',
      `CLI-S-1,WV-S1136,${PARTNER_A},2025-01-01,true`,
      `CLI-S-2,WJ-NX400,${PARTNER_A},2025-02-01,no`,
    ]);
    const run = await cli.run(['import-sales', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported 2 unit sale\(s\) from 2 rows/);
    const sale = await poll(() =>
      cli.t.http.get('/unit-sales/CLI-S-2').set('authorization', `Bearer ${cli.t.tokens.support}`),
    );
    expect(sale.body).toMatchObject({ partnerId: PARTNER_A, soldInJapan: false });
    const before = await cli.eventCount();
    const again = await cli.run(['import-sales', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/imported 0 unit sale\(s\) from 2 rows \(2 already imported/);
    expect(await cli.eventCount()).toBe(before);
  });

  // Last: it tampers with the store.
});
