// Jest setupFiles entry: each test file runs in its own context with its own Date; shift it too when the run
// was started by run-at.js (TEST_CLOCK_OFFSET_MS). No effect otherwise.
'use strict';
const { installShiftedDate } = require('./shift-clock');

installShiftedDate(globalThis, Number(process.env.TEST_CLOCK_OFFSET_MS ?? ''));
