import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Issue #15: the walls of .dependency-cruiser.cjs (`npm run lint:deps`) must fail when broken, not just pass on
 * today's code. This lays out a miniature repo in a temporary directory (same folders, the repo's own path
 * aliases and node_modules), puts one violation of each rule in it beside imports that are allowed, runs
 * dependency-cruiser with the repo's config there, and expects exactly the violations it planted.
 */
const REPO = join(__dirname, '..', '..');

interface Violation {
  readonly from: string;
  readonly rule: string;
}

const STUBS: Readonly<Record<string, string>> = {
  'apps/api/src/main.ts': 'export const main = 1;\n',
  'libs/domain/src/index.ts': 'export const domain = 1;\n',
  'libs/domain/testing/index.ts': "export { domain } from '../src/index';\n",
  'libs/event-store/src/index.ts': 'export const store = 1;\n',
  'libs/messaging/src/index.ts': 'export const messaging = 1;\n',
  'libs/messaging/src/testing/index.ts': 'export const kafkaTesting = 1;\n',
  'libs/read-models/src/index.ts': "export { rebuild } from './runner/rebuild-aside';\n",
  'libs/read-models/src/runner/rebuild-aside.ts': 'export const rebuild = 1;\n',
};

/** One file per rule, each breaking it once; the rule named is the one dependency-cruiser must report. */
const BROKEN: readonly (Violation & { readonly code: string })[] = [
  {
    from: 'libs/messaging/src/uses-an-app.ts',
    rule: 'libs-never-import-apps',
    code: "import { main } from '../../../apps/api/src/main';\nexport const x = main;\n",
  },
  {
    from: 'libs/domain/src/uses-the-store.ts',
    rule: 'domain-imports-nothing',
    code: "import { store } from '@app/event-store';\nexport const x = store;\n",
  },
  {
    from: 'libs/domain/src/reads-files.ts',
    rule: 'domain-code-imports-no-package',
    code: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
  },
  {
    from: 'libs/read-models/src/uses-kafka.ts',
    rule: 'read-models-never-import-messaging',
    code: "import { messaging } from '@app/messaging';\nexport const x = messaging;\n",
  },
  {
    from: 'apps/api/src/tickets/new-query.ts',
    rule: 'typeorm-only-in-read-models',
    code: "import type { DataSource } from 'typeorm';\nexport type X = DataSource;\n",
  },
  {
    from: 'apps/cli/src/deep-import.ts',
    rule: 'libraries-only-through-their-index',
    code: "import { rebuild } from '@app/read-models/runner/rebuild-aside';\nexport const x = rebuild;\n",
  },
  {
    from: 'libs/messaging/src/deep-import.ts',
    rule: 'library-to-library-only-through-the-index',
    code: "import { rebuild } from '@app/read-models/runner/rebuild-aside';\nexport const x = rebuild;\n",
  },
  {
    from: 'apps/api/src/uses-fixtures.ts',
    rule: 'testing-helpers-only-in-tests',
    code: "import { kafkaTesting } from '@app/messaging/testing';\nexport const x = kafkaTesting;\n",
  },
  {
    from: 'apps/api/src/mistyped-alias.ts',
    rule: 'no-unresolvable-imports',
    code: "import { y } from '@app/domian';\nexport const x = y;\n",
  },
];

/** Imports the walls allow: indexes, testing indexes from tests, TypeORM inside libs/read-models. */
const ALLOWED: Readonly<Record<string, string>> = {
  'apps/api/src/uses-indexes.ts':
    "import { domain } from '@app/domain';\nimport { rebuild } from '@app/read-models';\nexport const x = [domain, rebuild];\n",
  'libs/read-models/src/uses-fixtures.unit.spec.ts':
    "import { domain } from '@app/domain/testing';\nimport { store } from '@app/event-store';\nexport const x = [domain, store];\n",
  'libs/read-models/src/query.ts':
    "import type { DataSource } from 'typeorm';\nexport type X = DataSource;\n",
  'libs/domain/src/uses-itself.unit.spec.ts':
    "import fc from 'fast-check';\nimport { domain } from './index';\nexport const x = [fc, domain];\n",
};

function cruise(root: string): Violation[] {
  const bin = join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const config = join(REPO, '.dependency-cruiser.cjs');
  const run = spawnSync(
    process.execPath,
    [bin, 'apps', 'libs', '--config', config, '--output-type', 'json'],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 90_000,
    },
  );
  if (!run.stdout) throw new Error(`depcruise produced no report: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as {
    summary: { violations: { from: string; rule: { name: string } }[] };
  };
  return report.summary.violations.map((v) => ({ from: v.from, rule: v.rule.name }));
}

describe('lint:deps: the dependency walls refuse what they forbid', () => {
  let root: string;
  let violations: Violation[];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'dependency-walls-'));
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    const repoTsconfig = JSON.parse(readFileSync(join(REPO, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: Record<string, unknown>;
    };
    write('tsconfig.json', JSON.stringify({ compilerOptions: repoTsconfig.compilerOptions }));
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
    for (const [path, text] of Object.entries(STUBS)) write(path, text);
    for (const b of BROKEN) write(b.from, b.code);
    for (const [path, text] of Object.entries(ALLOWED)) write(path, text);
    violations = cruise(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports each planted violation under its rule, and nothing else', () => {
    const byFrom = (a: Violation, b: Violation): number => a.from.localeCompare(b.from);
    expect([...violations].sort(byFrom)).toEqual(
      BROKEN.map(({ from, rule }) => ({ from, rule })).sort(byFrom),
    );
  });

  it('covers every rule of the config', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS by design
    const config = require(join(REPO, '.dependency-cruiser.cjs')) as { forbidden: { name: string }[] };
    expect(new Set(BROKEN.map((b) => b.rule))).toEqual(new Set(config.forbidden.map((r) => r.name)));
  });
});
