// Shifts the wall clock of a process (and of Jest's test contexts) by TEST_CLOCK_OFFSET_MS, so a test run can
// be made to happen at a chosen time of day (README, "Time of day"). Time keeps flowing: only the origin moves.
// Timers, performance.now() and PostgreSQL's clock are left alone.
// Used three ways: as `node --require` preload (NODE_OPTIONS, for every process a test spawns), as a Jest
// `setupFiles` entry (each test file's own context has its own Date), and from run-at.js to compute the offset.
'use strict';

function installShiftedDate(g, offsetMs) {
  const Real = g.Date;
  if (Real.__clockOffsetMs !== undefined || !Number.isFinite(offsetMs) || offsetMs === 0) return;
  const now = () => Real.now() + offsetMs;
  function ShiftedDate(...args) {
    if (!new.target) return new Real(now()).toString();
    return args.length === 0 ? new Real(now()) : new Real(...args);
  }
  Object.setPrototypeOf(ShiftedDate, Real);
  ShiftedDate.prototype = Real.prototype;
  ShiftedDate.now = now;
  Object.defineProperty(ShiftedDate, '__clockOffsetMs', { value: offsetMs });
  g.Date = ShiftedDate;
}

/** The offset (ms, within ±12 h) that moves "now" to the nearest instant whose UTC time of day is `hhmm`. */
function offsetToUtcTimeOfDay(hhmm, realNowMs = Date.now()) {
  const m = /^(\d{2}):(\d{2})Z$/.exec(hhmm);
  if (!m) throw new Error(`time of day must look like 15:30Z, got ${hhmm}`);
  const day = 86_400_000;
  const target = (Number(m[1]) * 60 + Number(m[2])) * 60_000;
  let offset = target - (realNowMs % day);
  if (offset > day / 2) offset -= day;
  if (offset < -day / 2) offset += day;
  return offset;
}

const fromEnv = Number(process.env.TEST_CLOCK_OFFSET_MS ?? '');
if (fromEnv) installShiftedDate(globalThis, fromEnv);

module.exports = { installShiftedDate, offsetToUtcTimeOfDay };
