// Mutation testing (README "Mutation testing"): run by `npm run test:mutation` (test/mutation/run.js), which
// sets MUTATION_SCOPE to one scope of test/mutation/scopes.js at a time. Reports and the incremental state go to
// MUTATION_REPORT_DIR (default reports/mutation/, git-ignored), one set per scope.
import scopes from './test/mutation/scopes.js';

const scope = scopes.find((s) => s.name === process.env.MUTATION_SCOPE);
if (!scope)
  throw new Error(
    `set MUTATION_SCOPE to one of ${scopes.map((s) => s.name).join(', ')} (or: npm run test:mutation)`,
  );
const reportDir = process.env.MUTATION_REPORT_DIR ?? 'reports/mutation';
// One incremental file per scope: a run over one scope would otherwise drop the others' recorded results.
const stem = scope.name;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'test/mutation/jest.mutation.config.js' },
  // Mutants that do not compile are discarded before any test runs (strict tsconfig, as `npm run typecheck`).
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  coverageAnalysis: 'perTest',
  // Static mutants (module-level values: tables, regexes, SQL text) need every test rerun in a fresh module
  // registry; over the three scopes they were 45% of the mutants and ~98% of Stryker's time estimate (36 h on
  // two cores). They are skipped, reported as Ignored and listed apart by scores.js: those values are exercised
  // by the tests but not mutated (README "Mutation testing").
  ignoreStatic: true,
  mutate: [
    ...scope.paths.map((p) => (p.endsWith('/') ? `${p}**/*.ts` : p)),
    ...scope.exclude.map((p) => `!${p}`),
    '!**/*.spec.ts',
    '!**/*.test-support.ts',
  ],
  // Reruns test only the mutants whose code or covering tests changed since the recorded run.
  incremental: true,
  incrementalFile: `${reportDir}/incremental-${stem}.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/mutation-${stem}.html` },
  jsonReporter: { fileName: `${reportDir}/mutation-${stem}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // Two cores on the development machines and in CI.
  concurrency: 2,
  timeoutMS: 10000,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'coverage', 'tmp', '.kafka', '.pglite-data', 'reports', 'test-artifacts', '*.log'],
  // The per-scope targets are judged by test/mutation/scores.js; Stryker's own thresholds only colour its table.
  thresholds: { high: 85, low: 70, break: null },
};
