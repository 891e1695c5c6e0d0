// Writes libs/messaging/asyncapi.yaml from the contract registry (npm run messaging:asyncapi).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { renderAsyncApiYaml } from '../src/contracts/asyncapi';

const target = join(__dirname, '..', 'asyncapi.yaml');
writeFileSync(target, renderAsyncApiYaml());
process.stdout.write(`wrote ${target}\n`);
