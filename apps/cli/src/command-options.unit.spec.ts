import { Module } from '@nestjs/common';
import { Command, CommandFactory, CommandRunner } from 'nest-commander';
import { CommandOptions } from './command-options';

type Seen = Record<string, unknown>;

@Command({ name: 'probe' })
@CommandOptions(
  { flags: '--out <file>', description: 'a value, kept as given' },
  { flags: '--dry-run', description: 'a switch' },
  { flags: '--max <n>', description: 'a value with its own parser', parse: (text) => Number(text) * 2 },
)
class ProbeCommand extends CommandRunner {
  static seen: Seen[] = [];

  run(_params: string[], options: Seen = {}): Promise<void> {
    ProbeCommand.seen.push(options);
    return Promise.resolve();
  }
}

@Module({ providers: [ProbeCommand] })
class ProbeModule {}

/** The options a real nest-commander run hands to the command, for these arguments. */
async function optionsFor(args: string[]): Promise<Seen | undefined> {
  const argv = process.argv;
  ProbeCommand.seen = [];
  process.argv = ['node', 'cli', 'probe', ...args];
  try {
    const app = await CommandFactory.runWithoutClosing(ProbeModule, { logger: false });
    await app.close();
  } finally {
    process.argv = argv;
  }
  return ProbeCommand.seen[0];
}

describe('CommandOptions: a command options table read by nest-commander', () => {
  it('hands over a value as given, a switch as true, a value through its own parser', async () => {
    expect(await optionsFor(['--out', 'a.jsonl', '--dry-run', '--max', '21'])).toEqual({
      out: 'a.jsonl',
      dryRun: true,
      max: 42,
    });
  });

  it('leaves out what was not given', async () => {
    expect(await optionsFor([])).toEqual({});
  });

  it('adds one parse<Flag> method per entry to the command', () => {
    const methods = Object.getOwnPropertyNames(ProbeCommand.prototype).filter((n) => n.startsWith('parse'));
    expect(methods).toEqual(['parseOut', 'parseDryRun', 'parseMax']);
  });

  it('refuses an entry without a --long flag', () => {
    expect(() => CommandOptions({ flags: '-x', description: 'short only' })(class {})).toThrow(
      'option -x: no --long flag',
    );
  });
});
