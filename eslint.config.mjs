// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Layer rule (STYLE.md rule 1): libs/domain is pure TypeScript. It may not import Nest, TypeORM, kafkajs,
// database clients, Node I/O, or any other part of this repo.
const domainForbidden = [
  '@nestjs/*', 'typeorm', 'kafkajs', 'pg', '@electric-sql/*', '@kurrent/*', '@eventstore/*',
  'node:*', 'fs', 'fs/*', 'path', 'net', 'http', 'https', 'child_process', 'os', 'crypto', 'process',
  '@app/event-store', '@app/event-store/*', '@app/read-models', '@app/read-models/*',
  '@app/messaging', '@app/messaging/*', '../../../*', '../../../../*',
];

// Calendar days are Japan days (DOMAIN.md decision 2). A date cut from an ISO string of "now" is UTC's day, and
// the local-time getters read the machine's zone: both are wrong nine hours a day (issue #12). Only the calendar
// module and the test date helpers build days, from an instant shifted to Japan time.
const japanDayMessage =
  'Calendar days are Japan days: use tokyoDateOf() (libs/domain/src/shared/calendar.ts) or test/support/dates.ts.';
const utcDateSyntax = [
  {
    selector:
      "CallExpression[callee.property.name=/^(slice|substring|substr)$/][callee.object.type='CallExpression'][callee.object.callee.property.name='toISOString'][arguments.length=2][arguments.1.value=10]",
    message: `toISOString().slice(0, 10) is the UTC day. ${japanDayMessage}`,
  },
  {
    selector:
      "CallExpression[callee.property.name='split'][callee.object.type='CallExpression'][callee.object.callee.property.name=/^(toISOString|toJSON)$/]",
    message: `toISOString().split(…) cuts out the UTC day. ${japanDayMessage}`,
  },
  {
    selector:
      "CallExpression[callee.property.name=/^(getDate|getDay|getMonth|getFullYear|getYear|getHours|setDate|setMonth|setFullYear|setHours|toDateString|toLocaleDateString)$/]",
    message: `Local-time date reads depend on the machine's zone. ${japanDayMessage}`,
  },
];
const domainSyntax = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time is an input to the domain.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'tmp/', '.kafka/', '.stryker-tmp/', 'reports/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false, fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', ...utcDateSyntax],
    },
  },
  {
    // Nest DI needs runtime class references for constructor injection; type-only imports would erase them.
    files: ['apps/**/*.ts', 'libs/event-store/**/*.ts', 'libs/read-models/**/*.ts', 'libs/messaging/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Configuration is parsed once per process, at start (README, "Configuration (environment)"): only the
    // processes' entry points hand process.env to their parser; everything else takes settings as parameters.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      'apps/*/src/main.ts', 'apps/relay/src/example-consumer.ts', 'apps/*/test/**', 'apps/*/scripts/**',
      'libs/*/scripts/**', 'libs/*/src/testing/**', 'libs/*/testing/**', '**/*.spec.ts', '**/*.test-support.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Take the setting as a parameter; the process parses its environment once (apps/*/src/*config*.ts).' },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: domainForbidden, message: 'libs/domain is pure: no frameworks, I/O or other libs.' }] }],
      'no-restricted-globals': ['error', 'process', 'require', 'setTimeout', 'setInterval', 'fetch'],
      // Time and ids are inputs (metadata.now, command ids): no clock reads, no randomness.
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is an input to the domain (metadata.now).' },
        { object: 'Math', property: 'random', message: 'Ids come in as inputs.' },
      ],
      'no-restricted-syntax': ['error', ...domainSyntax, ...utcDateSyntax],
    },
  },
  {
    // The one place that turns instants into Japan days (and its tests' helpers in test/support/dates.ts).
    files: ['libs/domain/src/shared/calendar.ts'],
    rules: { 'no-restricted-syntax': ['error', ...domainSyntax] },
  },
  {
    files: ['test/support/dates.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // e2e tests read HTTP response bodies, which are untyped JSON (supertest types them `any`); the
    // assertions are the type check there.
    files: ['**/*.e2e.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  prettier,
);
