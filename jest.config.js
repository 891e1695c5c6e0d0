// Test tiers by file suffix (STYLE.md): *.unit.spec.ts, *.int.spec.ts (real PostgreSQL / PGlite / Kafka),
// *.e2e.spec.ts (the HTTP service end to end). @swc/jest transpiles only; `npm run typecheck` type-checks.
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const moduleNameMapper = {
  // The domain's test helpers sit beside its src (libs/domain/testing), not in it; listed first, first match wins.
  '^@app/domain/testing$': '<rootDir>/libs/domain/testing',
  '^@app/(domain|event-store|read-models|messaging|config)(|/.*)$': '<rootDir>/libs/$1/src$2',
};
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }],
    // jose 6 ships ES modules only: Node 20.19+ loads it with require(esm), Jest on Node 20 does not.
    '/node_modules/jose/.+\\.js$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  // Shifts Date inside each test context when run by test/clock/run-at.js (README, "Time of day"); no-op otherwise.
  setupFiles: ['<rootDir>/test/clock/setup.js'],
  // .stryker-tmp/ holds Stryker's sandbox copies of the repo while `npm run test:mutation` runs.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/tmp/', '<rootDir>/.kafka/', '<rootDir>/.stryker-tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};
// A real Kafka broker for the tiers that talk to services (scripts/kafka/kafka.sh; started once per run).
const kafka = {
  globalSetup: '<rootDir>/test/kafka-global-setup.ts',
  globalTeardown: '<rootDir>/test/kafka-global-teardown.ts',
};
module.exports = {
  // Jest reads testTimeout only at the top level; integration and e2e hooks start real services.
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    { ...base, ...kafka, displayName: 'int', testMatch: ['<rootDir>/**/*.int.spec.ts'] },
    { ...base, ...kafka, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.spec.ts'] },
    // Real processes killed and restarted (test/chaos/README.md); its global setup also builds the api once.
    {
      ...base,
      ...kafka,
      globalSetup: '<rootDir>/test/chaos/support/chaos-global-setup.ts',
      displayName: 'chaos',
      testMatch: ['<rootDir>/test/chaos/**/*.chaos.spec.ts'],
    },
  ],
};
