import { Body, type PipeTransform } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';

/**
 * The global ValidationPipe validates a command body into an instance of its DTO class; the domain and the
 * event store take plain JSON data (the store refuses class instances, and a filing's proof of delivery is
 * recorded as sent). This hands the command the plain data, absent optional fields left out.
 */
const toPlainData: PipeTransform<unknown, unknown> = {
  transform: (value: unknown) =>
    typeof value === 'object' && value !== null
      ? instanceToPlain(value, { exposeUnsetFields: false })
      : value,
};

/** `@Body()` for command routes: validated against the parameter's DTO class, handed over as plain data. */
export const CommandBody = (): ParameterDecorator => Body(toPlainData);
