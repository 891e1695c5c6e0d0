import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (ms) used so far by every PostgreSQL process of this machine, from /proc (Linux; 0 elsewhere):
 * shows how much of a benchmark's cost is the database's. Other work on the machine is counted too, so it is
 * only meaningful on a quiet machine.
 */
export function postgresCpuMs(): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
        const fields = stat.slice(close + 2).split(' ');
        // utime, stime, cutime, cstime (fields 14-17 of stat): a backend that exited is counted in its
        // parent's (the postmaster's) cutime/cstime.
        ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ticks * 10; // USER_HZ = 100 on Linux
}
