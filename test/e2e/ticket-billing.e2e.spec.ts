import { billingAtAssessment } from '@app/domain/testing';
import { repairRequest, UNITS } from '../support/fixtures';
import { type TicketBody, useTicketApp } from './ticket-client';

/**
 * The ticket detail carries its current billing (issue #16): after an exclusion found at inspection and a
 * ¥42,000 quote, the detail says chargeable, with the quoted line, as the list's `chargeable` does; the
 * assessment keeps the decision taken at filing. List and detail read one rule (the domain's ticketBilling).
 */
describe('ticket billing: detail and list agree', () => {
  const app = useTicketApp('server');

  /** The list row of the ticket, as support's list shows it. */
  const listed = async (ticket: TicketBody): Promise<{ chargeable: boolean }> => {
    const serialNumber = (ticket.unit as { serialNumber: string }).serialNumber;
    const res = await app.t.http
      .get('/tickets')
      .query({ serialNumber })
      .set('authorization', `Bearer ${app.t.tokens.support}`);
    const row = (res.body.items as { ticketId: string; chargeable: boolean }[]).find(
      (i) => i.ticketId === ticket.ticketId,
    );
    if (!row) throw new Error(`ticket ${ticket.ticketId} not in the list`);
    return row;
  };
  const billingOf = async (id: string) => (await app.partner.get(id)).billing;

  it('an exclusion found at inspection and a ¥42,000 quote: chargeable in the detail and in the list', async () => {
    const filed = await app.partner.file(repairRequest(UNITS.cameraPickup));
    const id = filed.ticketId;
    expect(filed.billing).toEqual(billingAtAssessment.freeRepair);
    expect(await listed(filed)).toMatchObject({ chargeable: false });

    await app.partner.act(id, 'send-failed-unit', { carrier: 'Sagawa', trackingNumber: 'B-1' });
    const today = filed.assessment!.requestDate;
    await app.support.act(id, 'receive-failed-unit', {
      receivedOn: today,
      serialNumber: UNITS.cameraPickup.serialNumber,
    });
    await app.support.act(id, 'record-inspection-finding', {
      exclusion: 'relocation_transport_or_drop',
      findings: 'housing cracked by a fall',
    });
    const quoted = await app.support.act(id, 'issue-quote', {
      quoteId: 'Q-42K',
      lines: [{ kind: 'repair', description: 'housing and sensor board', amountJpy: 42000 }],
    });
    const line = {
      kind: 'repair',
      description: 'housing and sensor board',
      amountJpy: 42000,
      quoteId: 'Q-42K',
    };
    const expected = {
      status: 'chargeable',
      basis: 'exclusion_found',
      chargeable: true,
      quoteStatus: 'awaiting_decision',
      lines: [{ ...line, status: 'quoted' }],
      acceptedJpy: 0,
    };
    // The command's answer, the partner's detail and the list say the same.
    expect(quoted.billing).toEqual(expected);
    expect(await billingOf(id)).toEqual(expected);
    expect(await listed(quoted)).toMatchObject({ chargeable: true });
    // The assessment is the decision at filing, unchanged: free, no quote required then.
    expect(quoted.assessment).toMatchObject({ billing: 'free', quoteRequired: false, chargeLines: [] });

    const accepted = await app.partner.act(id, 'accept-quote', { quoteId: 'Q-42K' });
    expect(accepted.status).toBe('failed_unit_received');
    expect(await billingOf(id)).toEqual({
      ...expected,
      quoteStatus: 'accepted',
      lines: [{ ...line, status: 'accepted' }],
      acceptedJpy: 42000,
    });

    // As it stood before the finding (support's as-of view reads the same rule): free.
    const history = await app.t.http
      .get(`/tickets/${id}/history`)
      .set('authorization', `Bearer ${app.t.tokens.support}`);
    const events = history.body.events as { type: string; recordedAt: string }[];
    const received = events.find((e) => e.type === 'FailedUnitReceived')!;
    const then = await app.t.http
      .get(`/tickets/${id}/as-of`)
      .query({ at: received.recordedAt })
      .set('authorization', `Bearer ${app.t.tokens.support}`);
    expect(then.body.ticket.billing).toMatchObject({ status: 'free', chargeable: false, lines: [] });
  });

  it('a free onsite repair on a remote island: the repair is free, its travel charge makes it chargeable in both', async () => {
    const filed = await app.partner.file(
      repairRequest(UNITS.recorderYear1, {
        failedComponent: 'recorder_hdd',
        site: { prefecture: '沖縄県', remoteArea: true },
      }),
    );
    expect(filed).toMatchObject({ scheme: 'onsite_repair', status: 'awaiting_quote' });
    expect(filed.billing).toEqual(billingAtAssessment.freeOnsiteOnOkinawaRemoteIsland);
    expect(await listed(filed)).toMatchObject({ chargeable: true });
  });
});
