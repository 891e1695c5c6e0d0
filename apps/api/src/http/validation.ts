import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Flattens class-validator errors to `path.to.field` entries so a 400 always names the offending field. */
function flatten(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true, // unknown fields are an error, not silently dropped
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory: (errors) => {
    const fields = flatten(errors);
    const first = fields[0];
    return new BadRequestException({
      code: 'validation_failed',
      field: first?.field,
      message: first ? `${first.field}: ${first.problems.join('; ')}` : 'invalid request',
      errors: fields,
    });
  },
});
