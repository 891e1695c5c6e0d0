import { parseApiConfig } from '../../apps/api/src/config/api.config';
import { PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import { actionsAt, actionsOf, useTicketApp } from './ticket-client';

/**
 * PORTAL_AUTO_ESCALATE=false (README "Choices made where the issues are silent"): the portal no longer escalates
 * on receipt; a filed ticket waits in `requested` and support escalates it by hand — the one way
 * `POST /tickets/{id}/escalate` succeeds through the API.
 */
describe('escalation left to support (PORTAL_AUTO_ESCALATE=false)', () => {
  const app = useTicketApp('server', { escalationMode: 'by_support' });

  it('a filed ticket waits in requested; the partner may not escalate; support does, once', async () => {
    const filed = await app.partner.file(repairRequest(UNITS.cameraReplacement));
    expect(filed).toMatchObject({ status: 'requested', revision: 1, scheme: 'replacement' });
    expect((await app.support.get(filed.ticketId)).allowedActions).toEqual(
      actionsAt(filed.ticketId, 'escalate', 'reject-repair', 'cancel-ticket'),
    );
    expect(actionsOf(filed)).not.toContain('escalate');

    await app.partner.act(filed.ticketId, 'escalate', { note: 'please hurry' }, 403);
    const escalated = await app.support.act(filed.ticketId, 'escalate', { note: 'checked by support' });
    expect(escalated).toMatchObject({ status: 'escalated', revision: 2 });
    await app.support.act(filed.ticketId, 'escalate', {}, 409);

    const events = await app.support.history(filed.ticketId);
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['RepairRequested', `partner:${PARTNER_A}`],
      ['WarrantyAssessed', `partner:${PARTNER_A}`],
      ['Escalated', 'support:tanaka'], // the subject of t.tokens.support
    ]);
    expect(events[2]?.data.note).toBe('checked by support');
  });

  it('the variable takes true, false or nothing; anything else stops the start', () => {
    const mode = (value: string | undefined) =>
      parseApiConfig({ PORTAL_AUTO_ESCALATE: value }).runtime.escalationMode;
    expect(mode(undefined)).toBe('on_receipt');
    expect(mode('true')).toBe('on_receipt');
    expect(mode('false')).toBe('by_support');
    expect(() => mode('no')).toThrow('PORTAL_AUTO_ESCALATE: expected true or false, got "no"');
  });
});
