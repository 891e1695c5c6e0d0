import { loadReferenceData, PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import { suiteFixture } from '../support/suite-fixture';
import { startTestApp, type TestApp, type TestAppOptions, type TestDatabase } from '../support/test-app';

/** A thin client over the HTTP API for scenarios: asserts the status and returns the body. */
export class TicketClient {
  constructor(
    private readonly t: TestApp,
    private readonly token: string,
  ) {}

  async file(body: Record<string, unknown>): Promise<TicketBody> {
    const res = await this.t.http.post('/tickets').set('authorization', `Bearer ${this.token}`).send(body);
    if (res.status !== 201) throw new Error(`file: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as TicketBody;
  }

  async act(id: string, action: string, body: object = {}, expected = 200): Promise<TicketBody> {
    const res = await this.t.http
      .post(`/tickets/${id}/${action}`)
      .set('authorization', `Bearer ${this.token}`)
      .send(body);
    if (res.status !== expected) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as TicketBody;
  }

  async get(id: string): Promise<TicketBody> {
    const res = await this.t.http.get(`/tickets/${id}`).set('authorization', `Bearer ${this.token}`);
    if (res.status !== 200) throw new Error(`get: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as TicketBody;
  }

  async history(id: string): Promise<HistoryEvent[]> {
    const res = await this.t.http.get(`/tickets/${id}/history`).set('authorization', `Bearer ${this.token}`);
    if (res.status !== 200) throw new Error(`history: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { events: HistoryEvent[] }).events;
  }

  async historyTypes(id: string): Promise<string[]> {
    return (await this.history(id)).map((e) => e.type);
  }
}

/** One event of `GET /tickets/{id}/history`, as far as the scenarios read it. */
export interface HistoryEvent {
  type: string;
  actor: string;
  revision: number;
  recordedAt: string;
  data: Record<string, unknown>;
}

export interface TicketBody {
  ticketId: string;
  revision: number;
  status: string;
  scheme: string;
  coverage: string;
  allowedActions: TicketActionBody[];
  assessment: {
    billing: string;
    quoteRequired: boolean;
    chargeLines: { kind: string }[];
    reasons: string[];
    requestDate: string;
  } | null;
  quotes: { quoteId: string; status: string; totalJpy: number }[];
  billing: {
    status: string;
    basis: string;
    chargeable: boolean;
    quoteStatus: string;
    lines: { kind: string; amountJpy: number | null; quoteId: string | null; status: string }[];
    acceptedJpy: number;
  } | null;
  [k: string]: unknown;
}

/** An entry of `allowedActions`: what a client calls next. */
export interface TicketActionBody {
  action: string;
  method: string;
  path: string;
}

/** The route segments of a ticket's allowed actions, in order (`['ship-replacement', 'cancel-ticket']`). */
export const actionsOf = (ticket: Pick<TicketBody, 'allowedActions'>): string[] =>
  ticket.allowedActions.map((a) => a.action);

/** The allowed actions as the API must list them: `POST /tickets/{id}/<action>` for each, written out. */
export const actionsAt = (ticketId: string, ...actions: string[]): TicketActionBody[] =>
  actions.map((action) => ({ action, method: 'POST', path: `/tickets/${ticketId}/${action}` }));

/** POST /tickets with `token` (and the Idempotency-Key if named); a string body goes out as it is, as JSON text. */
export function postTicket(t: TestApp, token: string, body: string | object, idempotencyKey?: string) {
  const req = t.http
    .post('/tickets')
    .set('authorization', `Bearer ${token}`)
    .set('content-type', 'application/json');
  return (idempotencyKey ? req.set('idempotency-key', idempotencyKey) : req).send(body);
}

/** An app with the reference data loaded and one ticket of partner A (pickup camera) to ask for. */
export async function startWithTicketOfPartnerA(
  database: TestDatabase,
): Promise<{ t: TestApp; ticketA: string }> {
  const t = await startTestApp(database);
  await loadReferenceData(t);
  const filed = await new TicketClient(t, t.tokens.partner(PARTNER_A)).file(
    repairRequest(UNITS.cameraPickup),
  );
  return { t, ticketA: filed.ticketId };
}

/** A test app with the reference data loaded, and clients for partner A's portal and for support staff. */
export interface TicketApp {
  readonly t: TestApp;
  readonly partner: TicketClient;
  readonly support: TicketClient;
}

/** The TicketApp of the describe block it is called in (started in `beforeAll`, closed in `afterAll`). */
export function useTicketApp(database: TestDatabase, options?: TestAppOptions): TicketApp {
  return suiteFixture(
    async () => {
      const t = await startTestApp(database, options);
      await loadReferenceData(t);
      return {
        t,
        partner: new TicketClient(t, t.tokens.partner(PARTNER_A)),
        support: new TicketClient(t, t.tokens.support),
      };
    },
    (app) => app.t.close(),
  );
}
