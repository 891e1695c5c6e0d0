// Mutation score per scope of test/mutation/scopes.js, from each scope's Stryker JSON report, computed as
// Stryker does: detected (killed + timed out) / (detected + survived + not covered). Compile errors and ignored
// (static) mutants do not count; the ignored ones are listed so that nobody mistakes them for killed.
// Exits 1 when a scope is below its target. Usage: node test/mutation/scores.js [scope ...]
const fs = require('node:fs');
const path = require('node:path');
const scopes = require('./scopes.js');

const root = path.resolve(__dirname, '../..');
const reportDir = path.resolve(root, process.env.MUTATION_REPORT_DIR ?? 'reports/mutation');
const asked = process.argv.slice(2);

let failed = false;
const rows = [];
for (const scope of scopes.filter((s) => asked.length === 0 || asked.includes(s.name))) {
  const file = path.join(reportDir, `mutation-${scope.name}.json`);
  if (!fs.existsSync(file)) {
    console.log(`${scope.name}: no report at ${file} (run npm run test:mutation -- ${scope.name})`);
    failed = true;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, CompileError: 0 };
  for (const result of Object.values(report.files))
    for (const m of result.mutants) if (m.status in count) count[m.status]++;
  const detected = count.Killed + count.Timeout;
  const valid = detected + count.Survived + count.NoCoverage;
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  const ok = score >= scope.target;
  failed ||= !ok;
  rows.push({
    scope: scope.name,
    files: Object.keys(report.files).length,
    killed: count.Killed,
    'timed out': count.Timeout,
    survived: count.Survived,
    'no coverage': count.NoCoverage,
    'ignored (static)': count.Ignored,
    'compile errors': count.CompileError,
    'score %': Number(score.toFixed(2)),
    'target %': scope.target,
    ok: ok ? 'yes' : 'NO',
  });
}
console.table(rows);
process.exitCode = failed ? 1 : 0;
