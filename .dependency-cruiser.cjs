// The walls between the parts of the repo (STYLE.md "Walls by a tool"), checked by `npm run lint:deps`
// (part of `npm test`). test/lint/dependency-walls.unit.spec.ts checks that each rule fails when broken.
//
// Paths are repo-relative; `@app/<lib>` aliases resolve through tsconfig.json, so an alias import and a
// relative import of the same file are the same dependency. Type-only imports count (tsPreCompilationDeps):
// a wall is about what a module knows, not only about what it loads at run time.

/** A file that is a test, a test helper or a benchmark: may reach testing helpers. */
const TEST_CODE = '(\\.spec\\.ts$|\\.test-support\\.ts$|^test/|^apps/[^/]+/test/|/testing/)';

/** The public entries of a library: its index, and its testing index (for test code only, see below). */
const PUBLIC_ENTRIES = ['^libs/[^/]+/src/index\\.ts$', '^libs/[^/]+/(src/)?testing/index\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      comment: 'Libraries are used by the apps, never the other way round.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-imports-nothing',
      comment:
        'libs/domain is pure TypeScript and stands alone: nothing of the repo outside itself (fixtures included).',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^(apps|libs|test|scripts)/', pathNot: '^libs/domain/' },
    },
    {
      name: 'domain-code-imports-no-package',
      comment: 'The domain’s code (not its tests) imports no npm package and no Node module.',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: TEST_CODE },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'],
      },
    },
    {
      name: 'read-models-never-import-messaging',
      comment: 'Projections and queries know the event store and the domain, not Kafka or its contracts.',
      severity: 'error',
      from: { path: '^libs/read-models/' },
      to: { path: '^libs/messaging/' },
    },
    {
      name: 'typeorm-only-in-read-models',
      comment:
        'TypeORM (entities, data sources, queries) lives in libs/read-models; everything else goes through its ' +
        'index.',
      severity: 'error',
      from: { pathNot: '^libs/read-models/' },
      to: { path: '(^|/)node_modules/(typeorm|@nestjs/typeorm)/' },
    },
    {
      name: 'libraries-only-through-their-index',
      comment:
        'Another part of the repo reaches a library only through its public index (`@app/<lib>`) or its ' +
        'testing index (`@app/<lib>/testing`); export what it needs from there.',
      severity: 'error',
      from: { pathNot: '^libs/' },
      to: { path: '^libs/', pathNot: PUBLIC_ENTRIES },
    },
    {
      name: 'library-to-library-only-through-the-index',
      comment: 'The same wall between libraries (a library reaches into itself freely).',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/', pathNot: ['^libs/$1/', ...PUBLIC_ENTRIES] },
    },
    {
      name: 'testing-helpers-only-in-tests',
      comment: 'Fixtures and Kafka test helpers are for tests and benchmarks, never for running code.',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: '^libs/[^/]+/(src/)?testing/' },
    },
    {
      name: 'no-unresolvable-imports',
      comment:
        'An import that resolves to nothing would slip past every rule above (a mistyped alias, say); the ' +
        'compiler refuses it too, this keeps the walls honest on their own.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(dist|tmp|coverage|node_modules|\\.kafka)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
  },
};
