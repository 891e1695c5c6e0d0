// `npm run test:mutation [-- <scope> ...]`: Stryker once per scope of scopes.js (all of them by default), each
// with its own incremental state and reports, then the score table of scores.js (exit 1 below a target).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const scopes = require('./scopes.js');

const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !scopes.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown scope(s) ${unknown.join(', ')}; scopes: ${scopes.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const names = asked.length > 0 ? asked : scopes.map((s) => s.name);
const root = path.resolve(__dirname, '../..');
// The package exports no bin path; its bin file is where npm put it.
const stryker = path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
for (const name of names) {
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
