// Under mutation a failing property is all that counts: fast-check's shrinking of the counterexample (up to
// thousands of reruns of the property) only turns a killed mutant into a slow timeout. Stops at the first failure.
// Every mutant meets the same inputs: one fixed seed, and 20 runs of each property (100 in `npm test`). The ticket
// walk with this seed and 20 runs still reaches all 21 statuses (its own assertion), in ~1 s instead of ~6 s;
// the property test covers nearly every mutant of the decider, so its length sets the length of the domain run.
const fc = require('fast-check');

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true, seed: 20261130, numRuns: 20 });
