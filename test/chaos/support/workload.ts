import { daysAgo } from '../../support/dates';
import type { Tokens } from './api';
import { errorCode, send, type Answer } from './http';
import { sleep } from './prng';

/** One command of the load, with the key and body every retry repeats unchanged. */
export interface KeyedCommand {
  readonly key: string;
  /** Index of the ticket chain the command belongs to. */
  readonly chain: number;
  /** `file` or the route of a follow-up command (`ship-replacement`, …). */
  readonly action: string;
  readonly role: keyof Tokens;
  readonly body: Readonly<Record<string, unknown>>;
  /** Event types the command appends to its ticket's stream (each exactly once). */
  readonly types: readonly string[];
  /** Follow-ups act on the revision the previous answer showed (its ETag), as a portal does. */
  readonly ifMatch?: string;
}

export interface CommandOutcome {
  readonly command: KeyedCommand;
  readonly ticketId: string | undefined;
  /** Every answer, in order; status 0 = no answer. */
  readonly answers: readonly Answer[];
}

export interface WorkloadOptions {
  readonly port: number;
  readonly tokens: Tokens;
  /** Unique per run: serial numbers and keys carry it. */
  readonly runId: string;
  readonly tickets: number;
  readonly concurrency: number;
  /** A command is retried this long at most (covers today's 60 s `request_in_progress` lockout). */
  readonly retryWindowMs: number;
  /** False once retrying is pointless (the api died and will not come back). */
  readonly keepTrying?: () => boolean;
  /** Called with every answer (e.g. to count them while the chaos runs). */
  readonly onAnswer?: (command: KeyedCommand, answer: Answer) => void;
}

const MAX_ATTEMPTS = 400;
const ship = { carrier: 'Yamato Transport', trackingNumber: '4455-6677-8899' };

type Step = Omit<KeyedCommand, 'key' | 'chain'>;

/** ① replacement and ② pickup repair, alternately: year-1 units without a sales record (product warranty). */
function chainSteps(chain: number, runId: string): Step[] {
  const serialNumber = `CHAOS-${runId}-${chain}`;
  const filing = (modelNumber: string, deliveryDate: string): Step => ({
    action: 'file',
    role: 'partner',
    body: {
      serialNumber,
      modelNumber,
      deliveryDate,
      proofOfDelivery: { kind: 'delivery_slip', reference: `DS-${serialNumber}` },
      failureDate: daysAgo(2),
      failureDescription: 'no video output after power cycle',
      failedComponent: 'main_unit',
      site: { prefecture: '大阪府', remoteArea: false },
      onsiteRequested: false,
      endUserReference: keyOf(runId, chain, 'file'),
    },
    types: ['RepairRequested', 'WarrantyAssessed', 'Escalated'],
  });
  if (chain % 2 === 0) {
    return [
      filing('WV-S1136', daysAgo(190)),
      {
        action: 'ship-replacement',
        role: 'support',
        body: { ...ship, replacementSerial: `RPL-${serialNumber}` },
        types: ['ReplacementShipped'],
      },
      {
        action: 'confirm-replacement-delivered',
        role: 'partner',
        body: { deliveredOn: daysAgo(0) },
        types: ['ReplacementDelivered'],
      },
      { action: 'return-failed-unit', role: 'partner', body: ship, types: ['FailedUnitReturned'] },
      {
        action: 'close-ticket',
        role: 'support',
        body: { note: 'exchange complete' },
        types: ['TicketClosed'],
      },
    ];
  }
  return [
    filing('WV-X1574LN', daysAgo(100)),
    { action: 'send-failed-unit', role: 'partner', body: ship, types: ['FailedUnitSent'] },
    {
      action: 'receive-failed-unit',
      role: 'support',
      body: { receivedOn: daysAgo(0), serialNumber },
      types: ['FailedUnitReceived'],
    },
    {
      action: 'complete-repair',
      role: 'support',
      body: {
        workSummary: 'replaced image sensor board',
        partsReplaced: [{ partNumber: 'PCB-1', description: 'sensor board', quantity: 1 }],
      },
      types: ['RepairCompleted'],
    },
    { action: 'ship-repaired-unit', role: 'support', body: ship, types: ['RepairedUnitShipped'] },
    {
      action: 'confirm-repaired-unit-delivered',
      role: 'partner',
      body: { deliveredOn: daysAgo(0) },
      types: ['RepairedUnitDelivered'],
    },
  ];
}

function keyOf(runId: string, chain: number, action: string): string {
  return `${runId}-t${chain}-${action}`;
}

/** The filing command of chain `chain` (the deterministic kill point files one outside the load). */
export function filingCommand(runId: string, chain: number): KeyedCommand {
  const [filing] = chainSteps(chain, runId);
  return { ...filing!, key: keyOf(runId, chain, 'file'), chain };
}

/** What a patient client retries with the same key: no answer, 5xx, or "your first attempt is still running". */
export function retryable(a: Answer): boolean {
  return (
    a.status === 0 ||
    a.status >= 500 ||
    (a.status === 409 && ['request_in_progress', 'idempotency_conflict'].includes(errorCode(a) ?? ''))
  );
}

export function sendOnce(
  options: Pick<WorkloadOptions, 'port' | 'tokens'>,
  command: KeyedCommand,
  ticketId: string | undefined,
): Promise<Answer> {
  return send(options.port, {
    method: 'POST',
    path: command.action === 'file' ? '/tickets' : `/tickets/${ticketId}/${command.action}`,
    token: options.tokens[command.role],
    body: command.body,
    idempotencyKey: command.key,
    ...(command.ifMatch !== undefined ? { ifMatch: command.ifMatch } : {}),
  });
}

/** Sends, then retries with the same key and body until answered (bounded in attempts and time). */
export async function sendUntilAnswered(
  options: WorkloadOptions,
  command: KeyedCommand,
  ticketId: string | undefined,
  earlier: readonly Answer[] = [],
): Promise<CommandOutcome> {
  const answers = [...earlier];
  const deadline = Date.now() + options.retryWindowMs;
  const last = earlier.at(-1);
  if (last === undefined || retryable(last)) {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const answer = await sendOnce(options, command, ticketId);
      answers.push(answer);
      options.onAnswer?.(command, answer);
      if (!retryable(answer) || Date.now() > deadline || options.keepTrying?.() === false) break;
      const retryAfter = Number(answer.headers['retry-after'] ?? NaN);
      await sleep(
        Number.isFinite(retryAfter) ? Math.min(2_000, retryAfter * 1000) : Math.min(1_000, 100 * attempt),
      );
    }
  }
  const filed = command.action === 'file' ? (answers.at(-1)?.body as { ticketId?: string } | null) : null;
  return { command, ticketId: command.action === 'file' ? filed?.ticketId : ticketId, answers };
}

const acknowledged = (o: CommandOutcome): boolean => {
  const status = o.answers.at(-1)?.status ?? 0;
  return status >= 200 && status < 300;
};

/** `tickets` chains, `concurrency` at a time; a chain stops at its first command that is not acknowledged. */
export async function runWorkload(options: WorkloadOptions, firstChain = 0): Promise<CommandOutcome[]> {
  const outcomes: CommandOutcome[] = [];
  let next = firstChain;
  const end = firstChain + options.tickets;
  const worker = async (): Promise<void> => {
    while (next < end) {
      const chain = next++;
      let ticketId: string | undefined;
      let etag: string | undefined;
      for (const step of chainSteps(chain, options.runId)) {
        const command = {
          ...step,
          key: keyOf(options.runId, chain, step.action),
          chain,
          ...(etag !== undefined ? { ifMatch: etag } : {}),
        };
        const outcome = await sendUntilAnswered(options, command, ticketId);
        outcomes.push(outcome);
        ticketId = outcome.ticketId;
        etag = outcome.answers.at(-1)?.headers['etag'];
        if (!acknowledged(outcome) || ticketId === undefined) break;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}
