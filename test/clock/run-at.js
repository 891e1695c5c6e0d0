#!/usr/bin/env node
// Runs a command with the wall clock of every Node process it starts shifted to a UTC time of day:
//   node test/clock/run-at.js 15:30Z -- jest --selectProjects unit e2e
// The offset is computed once here and handed down in TEST_CLOCK_OFFSET_MS; NODE_OPTIONS preloads
// shift-clock.js into every process (Jest workers, the CLI processes tests spawn), and Jest's setupFiles
// (jest.config.js) apply it inside each test context. See README, "Time of day".
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { offsetToUtcTimeOfDay } = require('./shift-clock');

const [at, dashdash, cmd, ...args] = process.argv.slice(2);
if (!at || dashdash !== '--' || !cmd) {
  console.error('usage: run-at.js HH:MMZ -- command [args…]');
  process.exit(2);
}
const offset = offsetToUtcTimeOfDay(at);
const shifted = new Date(Date.now() + offset);
const tokyo = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo',
  dateStyle: 'short',
  timeStyle: 'short',
});
console.log(
  `run-at: clock shifted by ${(offset / 3_600_000).toFixed(2)} h to ${shifted.toISOString()} (Japan: ${tokyo.format(shifted)})`,
);
const preload = `--require ${path.join(__dirname, 'shift-clock.js')}`;
const env = {
  ...process.env,
  TEST_CLOCK_OFFSET_MS: String(offset),
  NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
};
const r = spawnSync(cmd, args, { stdio: 'inherit', env, shell: false });
if (r.error) throw r.error;
process.exit(r.status ?? 1);
