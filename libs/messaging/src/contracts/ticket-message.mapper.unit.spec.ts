import type { RecordedEvent } from '@app/event-store';

import { oneOfEveryTicketEvent } from '@app/domain/testing';
import { TICKET_INTEGRATION_EVENTS } from './ticket-integration-events';
import { toTicketMessage } from './ticket-message.mapper';

const events = oneOfEveryTicketEvent('T-42', 'P-007');

function recorded(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    id: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
    type: events.ReplacementShipped.type,
    schemaVersion: 1,
    data: events.ReplacementShipped.data,
    metadata: { correlationId: 'corr-9', actor: 'support:tanaka' },
    stream: 'ticket-T-42',
    revision: 3,
    globalPosition: 4096,
    recordedAt: '2026-11-25T01:00:01.000Z',
    ...overrides,
  };
}

describe('ticket event → Kafka message', () => {
  it('keys by ticket id and carries CloudEvents attributes in ce_ headers, the stored id as ce_id', () => {
    const result = toTicketMessage(recorded(), { partnerId: 'P-007' });
    expect(result).toEqual({
      kind: 'message',
      message: {
        key: 'T-42',
        globalPosition: 4096,
        recordedAt: '2026-11-25T01:00:01.000Z',
        headers: {
          ce_specversion: '1.0',
          ce_id: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
          ce_source: '/ipro/repair-service',
          ce_type: 'ipro.repair.ticket.replacement-shipped.v1',
          ce_subject: 'T-42',
          ce_time: '2026-11-25T01:00:01.000Z',
          ce_dataschema: 'urn:ipro:repair:schema:ipro.repair.ticket.replacement-shipped.v1',
          'content-type': 'application/json',
          ce_partitionkey: 'T-42',
          ce_ticketrevision: '3',
          ce_correlationid: 'corr-9',
        },
        value: expect.any(String) as string,
      },
    });
  });

  it('publishes only what downstream needs: the versioned payload, not the domain event', () => {
    const result = toTicketMessage(recorded(), { partnerId: 'P-007' });
    if (result.kind !== 'message') throw new Error('not mapped');
    expect(JSON.parse(result.message.value)).toEqual({
      ticketId: 'T-42',
      partnerId: 'P-007',
      occurredAt: '2026-11-25T01:00:00.000Z',
      carrier: 'Yamato',
      trackingNumber: '1234-5678-9012',
      modelNumber: 'WV-S1136',
      replacementSerial: 'SN-9001',
    });
  });

  it('keeps internal details out (technician name, free-text notes, document references)', () => {
    const published = (type: 'OnsiteDispatched' | 'ProofOfDeliverySubmitted'): string => {
      const data = events[type].data as unknown as RecordedEvent['data'];
      const mapped = toTicketMessage(recorded({ type, data }), { partnerId: 'P-007' });
      if (mapped.kind !== 'message') throw new Error(`${type} not mapped`);
      return String(mapped.message.value);
    };
    expect(published('OnsiteDispatched')).not.toContain('Sato');
    expect(published('ProofOfDeliverySubmitted')).not.toContain('INV-1');
  });

  it('skips streams that are not tickets and event versions without a contract', () => {
    expect(toTicketMessage(recorded({ stream: 'partner-P-007' }), { partnerId: 'P-007' })).toEqual({
      kind: 'skipped',
      reason: 'not-a-ticket-stream',
    });
    expect(toTicketMessage(recorded({ schemaVersion: 2 }), { partnerId: 'P-007' })).toEqual({
      kind: 'skipped',
      reason: 'no-contract',
    });
    expect(toTicketMessage(recorded({ type: 'SomethingInternal' }), { partnerId: 'P-007' })).toEqual({
      kind: 'skipped',
      reason: 'no-contract',
    });
  });

  it('names every contract ipro.repair.ticket.<kebab-case>.v1, one per domain event type', () => {
    expect(TICKET_INTEGRATION_EVENTS.map((d) => d.type)).toContain('ipro.repair.ticket.repair-requested.v1');
    for (const d of TICKET_INTEGRATION_EVENTS)
      expect(d.type).toMatch(/^ipro\.repair\.ticket\.[a-z]+(-[a-z]+)*\.v1$/);
    expect(new Set(TICKET_INTEGRATION_EVENTS.map((d) => d.type)).size).toBe(TICKET_INTEGRATION_EVENTS.length);
  });
});
