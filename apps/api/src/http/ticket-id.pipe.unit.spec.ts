import { BadRequestException } from '@nestjs/common';
import { TicketIdPipe, ticketIdOf } from './ticket-id.pipe';

describe('ticket ids on the path', () => {
  const v4 = '3f2b8c1e-9a4d-4e7f-8b21-0c5d6e7f8a9b';
  const v8 = '0192d4a1-7b3c-8d2e-9f10-a1b2c3d4e5f6';

  it.each([v4, v8])('takes the lower-case id %s as it is', (id) => {
    expect(ticketIdOf(id)).toBe(id);
  });

  it('takes an upper-case or mixed-case spelling as the lower-case id the store holds', () => {
    expect([ticketIdOf(v4.toUpperCase()), ticketIdOf('3F2B8C1E-9a4d-4E7F-8b21-0C5D6E7F8A9B')]).toEqual([
      v4,
      v4,
    ]);
  });

  it.each(['T-0001', `${v4}x`, v4.replace('4e7f', '1e7f'), '', '../etc', 42, undefined])(
    'refuses %p with a 400 naming id',
    (value) => {
      const thrown = (() => {
        try {
          ticketIdOf(value);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(thrown).toBeInstanceOf(BadRequestException);
      expect((thrown as BadRequestException).getResponse()).toMatchObject({
        code: 'validation_failed',
        field: 'id',
      });
    },
  );

  it('the pipe is the same function', () => {
    expect(TicketIdPipe.transform(v4.toUpperCase(), { type: 'param', data: 'id' })).toBe(v4);
  });
});
