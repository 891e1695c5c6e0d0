import { execFileSync } from 'node:child_process';

/**
 * Issue #12: a date cut from the UTC ISO string of "now" made CI red nine hours a day. The lint rule in
 * eslint.config.mjs refuses the whole class outside the calendar module and the test date helpers; this
 * checks that it does, by linting reintroduced code as if it were in real files of the repo. ESLint runs in a
 * child process: its flat config is an ES module, which Jest's module sandbox cannot import.
 */
interface Case {
  readonly code: string;
  readonly filePath: string;
}

function lint(cases: readonly Case[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint();
      const out = [];
      for (const c of cases) {
        const [r] = await eslint.lintText(c.code, { filePath: c.filePath });
        out.push(r.messages.filter((m) => m.ruleId === 'no-restricted-syntax' || m.fatal).map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify(cases)], {
    cwd: `${__dirname}/../..`,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return JSON.parse(stdout) as string[][];
}

const utcDays = [
  'export const d = new Date().toISOString().slice(0, 10);',
  'export const d = new Date(Date.now()).toISOString().substring(0, 10);',
  "export const d = new Date().toISOString().split('T')[0];",
  'export const d = new Date().getDate();',
  'export const d = new Date().getFullYear();',
  'export const d = new Date().toLocaleDateString();',
];
const places = [
  'apps/api/src/main.ts',
  'test/e2e/repair-flows.e2e.spec.ts',
  'apps/cli/test/audit-cli.e2e.spec.ts',
];
const allowed: Case[] = [
  { code: 'export const t = new Date().toISOString();', filePath: 'apps/api/src/main.ts' },
  { code: 'export const t = new Date(0).toISOString().slice(0, 19);', filePath: 'apps/api/src/main.ts' },
  { code: 'export const t = new Date(0).getUTCDate();', filePath: 'apps/api/src/main.ts' },
  {
    code: 'export const f = (ms: number) => new Date(ms).toISOString().slice(0, 10);',
    filePath: 'libs/domain/src/shared/calendar.ts',
  },
  { code: 'export const t = new Date().toISOString().slice(0, 10);', filePath: 'test/support/dates.ts' },
];
const inDomain: Case = {
  code: 'export const f = (ms: number) => new Date(ms).toISOString().slice(0, 10);',
  filePath: 'libs/domain/src/repair-ticket/repair-ticket.decider.ts',
};

describe('lint: calendar days are Japan days', () => {
  const refused = utcDays.flatMap((code) => places.map((filePath) => ({ code, filePath })));
  let results: string[][];
  beforeAll(() => {
    results = lint([...refused, ...allowed, inDomain]);
  });

  it('refuses UTC days and local-time date reads in the api, the tests and the CLI', () => {
    refused.forEach((c, i) => {
      expect({ ...c, messages: results[i] }).toEqual({
        ...c,
        messages: [expect.stringContaining('Calendar days are Japan days')],
      });
    });
  });

  it('allows instants, UTC getters, and the two modules that build Japan days', () => {
    allowed.forEach((c, i) =>
      expect({ ...c, messages: results[refused.length + i] }).toEqual({ ...c, messages: [] }),
    );
  });

  it('refuses it in the domain too, beside the domain rule', () => {
    expect(results[refused.length + allowed.length]).toEqual([expect.stringContaining('is the UTC day')]);
  });
});
