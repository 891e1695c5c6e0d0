import type { TestApp } from '../support/test-app';

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

  async historyTypes(id: string): Promise<string[]> {
    const res = await this.t.http.get(`/tickets/${id}/history`).set('authorization', `Bearer ${this.token}`);
    if (res.status !== 200) throw new Error(`history: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { events: { type: string }[] }).events.map((e) => e.type);
  }
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
