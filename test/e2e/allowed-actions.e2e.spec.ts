import { REPAIR_TICKET_COMMAND_TYPES } from '@app/domain';
import { rolesFor } from '../../apps/api/src/auth/command-roles';
import { commandPath, isTicketCommandType } from '../../apps/api/src/tickets/ticket-routes';
import { PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import { routeTable } from '../support/route-table';
import {
  actionsAt,
  type TicketActionBody,
  type TicketBody,
  TicketClient,
  useTicketApp,
} from './ticket-client';

/**
 * `allowedActions` gives what a client calls (issue #16): the route segment, the method and the path, for the
 * caller. A client that sends `method` to `path` as given reaches the command; nothing is translated.
 */
describe('allowedActions: what a client calls next', () => {
  const app = useTicketApp('server');

  /** Sends the action exactly as the API described it. */
  const follow = (a: TicketActionBody, token: string, body: object) => {
    expect(a.method).toBe('POST');
    return app.t.http.post(a.path).set('authorization', `Bearer ${token}`).send(body);
  };
  const find = (view: TicketBody, action: string): TicketActionBody => {
    const found = view.allowedActions.find((a) => a.action === action);
    if (!found) throw new Error(`${action} not offered: ${JSON.stringify(view.allowedActions)}`);
    return found;
  };

  it('each caller is offered its own actions, as route segment, method and path', async () => {
    const filed = await app.partner.file(repairRequest(UNITS.cameraReplacement));
    const id = filed.ticketId;
    expect(filed.allowedActions).toEqual(actionsAt(id, 'cancel-ticket'));
    expect((await app.support.get(id)).allowedActions).toEqual(
      actionsAt(id, 'ship-replacement', 'reject-repair', 'cancel-ticket'),
    );
    for (const token of [app.t.tokens.auditor, app.t.tokens.ops]) {
      const res = await app.t.http.get(`/tickets/${id}`).set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.body.allowedActions).toEqual([]);
    }
  });

  it('a client that follows the offered actions as given drives the ticket to its end', async () => {
    // Cancelling before anything was shipped, then a pickup repair from sending the unit to closing.
    const open = (await app.partner.file(repairRequest(UNITS.recorderYear1))).ticketId;
    const cancel = find(await app.partner.get(open), 'cancel-ticket');
    const cancelled = await follow(cancel, app.t.tokens.partner(PARTNER_A), { reason: 'filed by mistake' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', allowedActions: [] });

    const filed = await app.partner.file(repairRequest(UNITS.cameraPickup));
    const steps: [string, string, object][] = [
      [app.t.tokens.partner(PARTNER_A), 'send-failed-unit', { carrier: 'Yamato', trackingNumber: 'AA-1' }],
      [
        app.t.tokens.support,
        'receive-failed-unit',
        { receivedOn: filed.assessment!.requestDate, serialNumber: UNITS.cameraPickup.serialNumber },
      ],
      [app.t.tokens.support, 'complete-repair', { workSummary: 'board replaced', partsReplaced: [] }],
      [app.t.tokens.support, 'ship-repaired-unit', { carrier: 'Yamato', trackingNumber: 'AA-2' }],
      [
        app.t.tokens.partner(PARTNER_A),
        'confirm-repaired-unit-delivered',
        { deliveredOn: filed.assessment!.requestDate },
      ],
      [app.t.tokens.support, 'close-ticket', {}],
    ];
    let view = filed;
    for (const [token, action, body] of steps) {
      const reader = new TicketClient(app.t, token);
      const res = await follow(find(await reader.get(view.ticketId), action), token, body);
      expect([action, res.status]).toEqual([action, 200]);
      view = res.body as TicketBody;
    }
    expect(view).toMatchObject({ status: 'closed', allowedActions: [] });
  });

  it('every action a ticket can offer is a route of the router, with the roles of COMMAND_ROLES', () => {
    const routes = new Map(routeTable(app.t).map((r) => [`${r.method} ${r.path}`, r]));
    const missing = REPAIR_TICKET_COMMAND_TYPES.filter(isTicketCommandType).flatMap((type) => {
      const route = routes.get(`POST /tickets/{id}/${commandPath(type)}`);
      return route && [...route.roles].sort().join() === [...rolesFor(type)].sort().join() ? [] : [type];
    });
    expect(missing).toEqual([]);
  });
});
