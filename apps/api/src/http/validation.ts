import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { isCalendarDate, isInstant } from '@app/domain';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** At most this many errors in a 400 (and each message this long): an error body never grows with the input. */
export const MAX_ERRORS = 20;
const MAX_MESSAGE = 300;
const clip = (s: string): string => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s);

/** The one date rule at the edge, the domain's: `YYYY-MM-DD`, a real day, years 1900–2999. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value),
        defaultMessage: () => '$property must be a real YYYY-MM-DD date between 1900 and 2999',
      },
    },
    options,
  );
}

/** A calendar date (as above) or an ISO-8601 instant with an offset on such a day. */
export function IsDateOrInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateOrInstant',
      validator: {
        validate: (value) => isCalendarDate(value) || isInstant(value),
        defaultMessage: () =>
          '$property must be a YYYY-MM-DD date or an ISO-8601 instant with an offset, years 1900–2999',
      },
    },
    options,
  );
}

/** Flattens class-validator errors to `path.to.field` entries so a 400 always names the offending field. */
function flatten(errors: ValidationError[], prefix = '', out: { field: string; problems: string[] }[] = []) {
  for (const e of errors) {
    if (out.length >= MAX_ERRORS) break;
    const field = clip(prefix ? `${prefix}.${e.property}` : e.property);
    if (e.constraints) out.push({ field, problems: Object.values(e.constraints).map(clip) });
    flatten(e.children ?? [], field, out);
  }
  return out;
}

export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true, // unknown fields are an error, not silently dropped
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  stopAtFirstError: true, // one problem per field; nested items are not validated once their array is refused
  exceptionFactory: (errors) => {
    const fields = flatten(errors);
    const first = fields[0];
    return new BadRequestException({
      code: 'validation_failed',
      field: first?.field ?? 'body',
      message: first ? `${first.field}: ${first.problems.join('; ')}` : 'invalid request',
      errors: fields,
    });
  },
});
