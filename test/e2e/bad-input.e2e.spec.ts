import { tokyoToday } from '../support/dates';
import { PARTNER_A, registerUnit, repairRequest, UNITS } from '../support/fixtures';
import { storedEventCount } from '../support/test-app';
import { postTicket, useTicketApp } from './ticket-client';

const ship = { carrier: 'Sagawa', trackingNumber: '9000-1' };

/** Input the api refuses (400 naming the field, 422 naming the rule) leaves the store unchanged. */
describe('bad input is a 400 naming the field, and stores nothing (server)', () => {
  const app = useTicketApp('server');
  const eventCount = (): Promise<number> => storedEventCount(app.t);
  /** A string body goes out as it is, as JSON text. */
  const fileAsPartnerA = (body: string | object) => postTicket(app.t, app.t.tokens.partner(PARTNER_A), body);

  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['a wrong type', { onsiteRequested: 'yes' }, 'onsiteRequested'],
    ['a malformed date', { deliveryDate: '2024/01/01' }, 'deliveryDate'],
    ['an unknown component', { failedComponent: 'lens' }, 'failedComponent'],
    ['a nested wrong type', { site: { prefecture: '北海道', remoteArea: 'far' } }, 'site.remoteArea'],
    ['a failure before the delivery (domain rule)', { failureDate: '2000-01-01' }, 'failure.failureDate'],
    ['a serial whose sales record names another model', { modelNumber: 'WJ-NX400' }, 'modelNumber'],
  ];
  it.each(cases)('%s', async (_, override, field) => {
    const before = await eventCount();
    const res = await fileAsPartnerA(repairRequest(UNITS.cameraReplacement, override));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(await eventCount()).toBe(before);
  });

  it.each([
    [
      'accepting a quote that is not the pending one',
      'accept-quote',
      { quoteId: 'Q-NOT-THIS-ONE' },
      'quote_not_current',
    ],
    [
      'receiving a unit whose serial is not the ticket’s',
      'receive-failed-unit',
      { receivedOn: tokyoToday(), serialNumber: 'SOMEONE-ELSES' },
      'received_serial_mismatch',
    ],
  ])(
    'a business-rule refusal (%s) is 422 naming the rule, and stores nothing',
    async (label, action, body, rule) => {
      const { t, partner, support } = app;
      const base = action === 'accept-quote' ? UNITS.cameraOld : UNITS.cameraPickup;
      const { ticketId } = await partner.file(repairRequest(await registerUnit(t, base, `rule-${action}`)));
      if (action === 'accept-quote')
        await support.act(ticketId, 'issue-quote', {
          quoteId: 'Q-422',
          lines: [{ kind: 'repair', description: 'repair', amountJpy: 1000 }],
        });
      else await partner.act(ticketId, 'send-failed-unit', ship);
      const before = await eventCount();
      const res = await t.http
        .post(`/tickets/${ticketId}/${action}`)
        .set('authorization', `Bearer ${t.tokens.support}`)
        .send(body);
      expect({ label, status: res.status, body: res.body as unknown }).toMatchObject({
        status: 422,
        body: { code: 'business_rule_violated', rule },
      });
      expect(await eventCount()).toBe(before);
    },
  );

  it('malformed JSON is 400', async () => {
    const res = await fileAsPartnerA('{"serialNumber": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_body');
  });

  it('an oversized body is refused with 413', async () => {
    const res = await fileAsPartnerA(
      repairRequest(UNITS.cameraReplacement, { failureDescription: 'x'.repeat(200_000) }),
    );
    expect(res.status).toBe(413);
  });

  it('a malformed ticket id is 400 naming id', async () => {
    const res = await app.t.http
      .get('/tickets/not-a-uuid')
      .set('authorization', `Bearer ${app.t.tokens.support}`);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('id');
  });
});
