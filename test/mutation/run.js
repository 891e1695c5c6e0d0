// `npm run test:mutation [-- [--retest-timeouts] <scope> ...]`: Stryker once per scope of scopes.js (all of them
// by default), each with its own incremental state and reports, then the score table of scores.js (exit 1 below
// a target).
//
// --retest-timeouts: Stryker counts a mutant whose tests outran the timeout as detected (an endless loop is a
// kill). On a loaded machine a surviving mutant's slow run can time out too, so before quoting a figure the
// timed-out mutants of the recorded run are tested again: they are marked Ignored in the incremental file, which
// makes the incremental run retest them (and only them, of the unchanged code).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const scopes = require('./scopes.js');

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const badFlags = flags.filter((f) => f !== '--retest-timeouts');
if (badFlags.length > 0) {
  console.error(`unknown option(s) ${badFlags.join(', ')}; the only option is --retest-timeouts`);
  process.exit(2);
}
const unknown = asked.filter((n) => !scopes.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown scope(s) ${unknown.join(', ')}; scopes: ${scopes.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const names = asked.length > 0 ? asked : scopes.map((s) => s.name);
const root = path.resolve(__dirname, '../..');
// The package exports no bin path; its bin file is where npm put it.
const stryker = path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const reportDir = path.resolve(root, process.env.MUTATION_REPORT_DIR ?? 'reports/mutation');
for (const name of names) {
  if (flags.includes('--retest-timeouts'))
    console.log(`scope ${name}: ${markTimeoutsForRetest(name)} timed-out mutants to retest`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [stryker, 'run'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_SCOPE: name },
  });
  console.log(`mutation scope ${name}: ${Math.round((Date.now() - started) / 1000)} s`);
  if (run.status !== 0) process.exit(run.status ?? 1);
}
const scores = spawnSync(process.execPath, [path.join(__dirname, 'scores.js'), ...names], {
  stdio: 'inherit',
});
process.exit(scores.status ?? 1);

/** Marks the recorded run's timed-out mutants of one scope Ignored, so that the incremental run retests them. */
function markTimeoutsForRetest(name) {
  const file = path.join(reportDir, `incremental-${name}.json`);
  if (!fs.existsSync(file)) return 0;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  let marked = 0;
  for (const result of Object.values(report.files)) {
    for (const mutant of result.mutants) {
      if (mutant.status !== 'Timeout') continue;
      mutant.status = 'Ignored';
      mutant.statusReason = 'timed out in the recorded run: retest';
      marked++;
    }
  }
  fs.writeFileSync(file, JSON.stringify(report));
  return marked;
}
