import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@app/event-store';
import type { Response } from 'supertest';
import { tokyoToday } from '../support/dates';
import { PARTNER_A, registerUnit, repairRequest, type UnitFixture, UNITS } from '../support/fixtures';
import type { TestApp } from '../support/test-app';
import type { TicketApp, TicketBody, TicketClient } from './ticket-client';

/**
 * What the route table's scenarios (route-table.e2e.spec.ts) are made of: the request each sends to its own
 * operation, and the set-ups and scenario shapes they share. The scenarios themselves are in
 * route-scenarios-*.ts, one file per group of operations.
 */

export type Key = `${'GET' | 'POST'} /${string}`;

export interface Call {
  readonly token?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly body?: object;
}
export type Send = (call: Call) => Promise<Response>;
export type Scenarios = Readonly<Partial<Record<Key, (send: Send) => Promise<void>>>>;

/**
 * A ticket command's scenario: `given` brings a ticket to where the command applies (its id fills `{id}`), `as`
 * sends `body` (or what it makes of that ticket), and the answer is 200 with `answer`'s fields.
 */
export interface CommandCase {
  readonly as: 'partner' | 'support';
  readonly given: () => Promise<TicketBody>;
  readonly body: object | ((ticket: TicketBody) => object);
  /** Or what it makes of that ticket (its allowed actions name the ticket's own paths). */
  readonly answer: object | ((ticket: TicketBody) => object);
}

/**
 * A partner command's scenario, sent by support with `{ date }` to a partner registered for it (and a member
 * since `joinedOn`, if named): the answer is the partner at its new revision, with `view`'s memberships and
 * certification, exactly as a read of the partner shows it then.
 */
export interface PartnerCommandCase {
  readonly partnerId: string;
  readonly joinedOn?: string;
  readonly date: string;
  readonly revision: number;
  readonly view: { readonly memberships: unknown; readonly certifiedOn: unknown };
}

export const ship = { carrier: 'Yamato Transport', trackingNumber: 'RT-4455-1' };
export const today = tokyoToday();
export const bearer = (token: string): string => `Bearer ${token}`;
export const serialOf = (ticket: TicketBody): string =>
  (ticket.unit as { serialNumber: string }).serialNumber;

/** Throws with the answer's body when the status is not the expected one (a plain expect hides the body). */
export function expectStatus(res: Response, status: number): void {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body ?? res.text)}`);
}

/** The set-ups the scenarios share, over one app (read when a scenario runs, once the app has started). */
export class RouteScenarioKit {
  private unitSeq = 0;

  constructor(private readonly app: TicketApp) {}

  get t(): TestApp {
    return this.app.t;
  }

  get partner(): TicketClient {
    return this.app.partner;
  }

  get support(): TicketClient {
    return this.app.support;
  }

  /** One open ticket per unit: each scenario files for a unit of its own. */
  readonly unit = (base: UnitFixture): Promise<UnitFixture> =>
    registerUnit(this.t, base, `rt-${++this.unitSeq}`);

  readonly file = async (base: UnitFixture, overrides: Record<string, unknown> = {}): Promise<TicketBody> =>
    this.partner.file(repairRequest(await this.unit(base), overrides));

  /** Files for a unit of its own (`file`), checking that the ticket is where the scenario needs it. */
  readonly filedWhere =
    (expected: Partial<TicketBody>, base: UnitFixture, overrides: Record<string, unknown> = {}) =>
    async (): Promise<TicketBody> => {
      const filed = await this.file(base, overrides);
      expect(filed).toMatchObject(expected);
      return filed;
    };

  /** A pickup-repair ticket whose failed unit i-PRO has received (status failed_unit_received). */
  readonly receivedPickup = async (): Promise<TicketBody> => {
    const filed = await this.file(UNITS.cameraPickup);
    await this.partner.act(filed.ticketId, 'send-failed-unit', ship);
    return this.support.act(filed.ticketId, 'receive-failed-unit', {
      receivedOn: today,
      serialNumber: serialOf(filed),
    });
  };

  /** The same, repaired (status repaired). */
  readonly repairedPickup = async (): Promise<TicketBody> =>
    this.support.act((await this.receivedPickup()).ticketId, 'complete-repair', { workSummary: 'fixed' });

  /** An out-of-warranty ticket with quote `quoteId` of one repair line issued (awaiting_quote_decision). */
  readonly quoted = async (quoteId: string, amountJpy: number): Promise<TicketBody> => {
    const filed = await this.file(UNITS.cameraOld);
    return this.support.act(filed.ticketId, 'issue-quote', {
      quoteId,
      lines: [{ kind: 'repair', description: 'repair', amountJpy }],
    });
  };

  /** A replacement ticket whose replacement unit has been shipped (status in_transit_to_partner). */
  readonly shippedReplacement = async (): Promise<TicketBody> => {
    const filed = await this.file(UNITS.cameraReplacement);
    return this.support.act(filed.ticketId, 'ship-replacement', { ...ship, replacementSerial: 'RPL-RT-1' });
  };

  /**
   * A ticket still in `requested`: stored as the api stored tickets before the portal escalated them on receipt
   * (RepairRequested + WarrantyAssessed, no Escalated). With the default escalation on receipt the api never
   * leaves a ticket there (every commit escalates it when it can); escalation-by-support.e2e.spec.ts runs the
   * api with PORTAL_AUTO_ESCALATE=false, where support's manual `escalate` is the normal way.
   */
  readonly unescalatedTicket = async (): Promise<string> => {
    const filed = await this.file(UNITS.cameraReplacement);
    const { store, projections } = this.t.started.runtime;
    const stored = await store.readStream(`ticket-${filed.ticketId}`);
    const ticketId = randomUUID();
    const events: NewEvent[] = stored
      .filter((e) => e.type === 'RepairRequested' || e.type === 'WarrantyAssessed')
      .map((e) => ({
        id: randomUUID(),
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: { ...(e.data as Record<string, NewEvent['data']>), ticketId },
        metadata: e.metadata,
      }));
    const appended = await store.appendToStream(`ticket-${ticketId}`, events, {
      expectedRevision: 'no_stream',
    });
    await projections.waitFor(appended.lastGlobalPosition, 5000);
    return ticketId;
  };

  readonly command =
    ({ as, given, body, answer }: CommandCase) =>
    async (send: Send): Promise<void> => {
      const ticket = await given();
      const payload: object = body instanceof Function ? body(ticket) : body;
      const res = await send({
        token: as === 'partner' ? this.t.tokens.partner(PARTNER_A) : this.t.tokens.support,
        params: { id: ticket.ticketId },
        body: payload,
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject(answer instanceof Function ? answer(ticket) : answer);
    };

  readonly partnerCommand =
    ({ partnerId, joinedOn, date, revision, view }: PartnerCommandCase) =>
    async (send: Send): Promise<void> => {
      await this.registerPartner(partnerId);
      if (joinedOn)
        await this.supportPost(`/partners/${partnerId}/join-partners-circle`, { date: joinedOn }, 200);
      const res = await send({ token: this.t.tokens.support, params: { partnerId }, body: { date } });
      expectStatus(res, 200);
      const answered = res.body as { partnerId: string; revision: number } & PartnerCommandCase['view'];
      expect({
        partnerId: answered.partnerId,
        memberships: answered.memberships,
        certifiedOn: answered.certifiedOn,
        revision: answered.revision,
      }).toEqual({ partnerId, ...view, revision });
      expect(await this.partnerView(partnerId)).toEqual(res.body);
    };

  readonly supportPost = async (path: string, body: object, status: number): Promise<Response> => {
    const res = await this.t.http.post(path).set('authorization', bearer(this.t.tokens.support)).send(body);
    expectStatus(res, status);
    return res;
  };

  readonly registerPartner = (partnerId: string): Promise<Response> =>
    this.supportPost('/partners', { partnerId, name: `partner ${partnerId}` }, 201);

  readonly getAsSupport = (path: string): Promise<Response> =>
    this.t.http
      .get(path)
      .set('authorization', bearer(this.t.tokens.support))
      .then((res) => res);

  /**
   * A creation's answer: 201 with the `Location` of the record, the record as `check` expects it, and the same
   * record read back from that location.
   */
  readonly expectCreated = async (
    res: Response,
    location: string,
    check: (record: unknown) => void,
  ): Promise<void> => {
    expectStatus(res, 201);
    expect(res.headers.location).toBe(location);
    check(res.body);
    expect((await this.getAsSupport(location)).body).toEqual(res.body);
  };

  /** The partner as `GET /partners/{partnerId}` shows it. */
  readonly partnerView = async (partnerId: string): Promise<unknown> => {
    const res = await this.getAsSupport(`/partners/${partnerId}`);
    expectStatus(res, 200);
    return res.body as unknown;
  };
}
