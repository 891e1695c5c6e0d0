import type { DestinationStream, Logger as Pino, LoggerOptions } from 'pino';
import pino from 'pino';
import { PinoPretty } from 'pino-pretty';
import { Logger as NestjsPinoLogger, type Params, PinoLogger } from 'nestjs-pino';

import type { LogLevel } from './shared-variables';

export interface LogSettings {
  /** LOG_LEVEL: lines below it are not written. */
  readonly level: LogLevel;
  /** LOG_FORMAT: `json` (one JSON object per line) or `text` (one readable line per entry, pino-pretty). */
  readonly format: 'json' | 'text';
}

/**
 * Paths pino replaces with `[Redacted]` in every line, whoever logs what: credentials are hidden by
 * construction, not by each caller remembering. Headers as pino-http and Node name them (lower case), and
 * credential-like fields at the top level or one level down (`{ user: { password } }`).
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  ...[
    'authorization',
    'cookie',
    'password',
    'token',
    'accessToken',
    'refreshToken',
    'secret',
    'apiKey',
  ].flatMap((key) => [key, `*.${key}`]),
];

/** pino's options for these settings: level, ISO timestamps, redaction; level names in JSON (`"level":"info"`). */
export function pinoOptions(settings: LogSettings): LoggerOptions {
  return {
    level: settings.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[Redacted]' },
    // pino-pretty reads pino's numeric levels; JSON readers (people, jq, a log shipper) prefer the name.
    ...(settings.format === 'json' ? { formatters: { level: (label: string) => ({ level: label }) } } : {}),
    base: { pid: process.pid },
  };
}

/**
 * The process's root pino logger. `destination` defaults to stdout; text goes through pino-pretty in this
 * thread (`sync`), not in a transport worker: a worker thread would cost memory in every process for a
 * development nicety, and lines stay in order with the start banner (README, "Logs").
 */
export function createRootLogger(settings: LogSettings, destination?: DestinationStream): Pino {
  const options = pinoOptions(settings);
  if (settings.format === 'text') {
    const pretty = PinoPretty({
      sync: true,
      singleLine: true,
      colorize: false,
      translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'",
      ignore: 'pid,hostname',
      ...(destination ? { destination } : {}),
    });
    return pino(options, pretty);
  }
  return destination ? pino(options, destination) : pino(options);
}

/** Nest's own start-up chatter (modules loaded, routes mapped, "started"): debug, so the banner comes first. */
const NEST_BOOTSTRAP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * Nest's LoggerService on pino (nestjs-pino): every `new Logger(context)` of Nest and of this code writes
 * through the root logger (inside a request with that request's bindings, see the api's logging params).
 * Nest logs its bootstrap steps at `log` (info); they go to debug here.
 */
export class AppLogger extends NestjsPinoLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && NEST_BOOTSTRAP_CONTEXTS.has(context))
      super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/** The Nest logger over `params.pinoHttp.logger` (the same params the api's LoggerModule gets). */
export function appLoggerOf(params: Params): AppLogger {
  return new AppLogger(new PinoLogger(params), params);
}
