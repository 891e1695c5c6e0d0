// Jest as Stryker runs it: the unit tier of jest.config.js alone, as one flat config (no projects). Only the
// unit tier: it needs no services and runs in ~15 s, and each mutant reruns just the tests that cover it.
const { projects } = require('../../jest.config.js');

const { displayName: _, ...unit } = projects.find((p) => p.displayName === 'unit');
module.exports = {
  ...unit,
  setupFiles: [...unit.setupFiles, '<rootDir>/test/mutation/fast-check-setup.js'],
  // test/lint/ checks the source's shape (dependency walls, the Japan-day rule), not behaviour, so it can kill no
  // mutant; and dependency-cruiser, which it spawns, is not found from Stryker's sandbox copy of the tree.
  testPathIgnorePatterns: [...(unit.testPathIgnorePatterns ?? ['/node_modules/']), '<rootDir>/test/lint/'],
  // A mutant can turn a loop endless; Stryker's own timeout (from the dry run's timings) catches it first.
  testTimeout: 30000,
};
