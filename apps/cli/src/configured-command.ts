import { Injectable } from '@nestjs/common';
import { CommandRunner } from 'nest-commander';

import { CliSettings } from './cli.config';

/**
 * A command of the CLI: the settings parsed once at start (CliSettings) come in by injection here, instead of a
 * constructor in every command. `@Injectable()` makes TypeScript record the parameter types Nest injects by;
 * the commands inherit them with the constructor.
 */
@Injectable()
export abstract class ConfiguredCommand extends CommandRunner {
  constructor(protected readonly settings: CliSettings) {
    super();
  }
}
