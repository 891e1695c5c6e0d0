import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseVariables, type Variables } from '@app/config';

import { API_ENVIRONMENT } from '../../apps/api/src/config/api.config';
import { CLI_ENVIRONMENT } from '../../apps/cli/src/cli.config';
import { CONSUMER_ENVIRONMENT, RELAY_ENVIRONMENT } from '../../apps/relay/src/relay.config';

/** Every variable of every process. */
const ALL: Variables = {
  ...API_ENVIRONMENT,
  ...RELAY_ENVIRONMENT,
  ...CLI_ENVIRONMENT,
  ...CONSUMER_ENVIRONMENT,
};

interface Case {
  /** The value when unset (and when blank). */
  readonly unset: unknown;
  /** A good text and the value it becomes. */
  readonly good: readonly [string, unknown];
  /** A bad text and the error line it gives; undefined: every non-blank text is accepted. */
  readonly bad?: readonly [string, string];
}

// The expected values are written from the README's table, not computed by the schema.
const CASES: Record<string, Case> = {
  DATABASE_URL: {
    unset: undefined,
    good: ['postgres://postgres@127.0.0.1:5432/test', 'postgres://postgres@127.0.0.1:5432/test'],
    bad: [
      'mysql://root:hunter2@db/x',
      'DATABASE_URL: expected a postgres://user@host:port/database URL, got "mysql://root:***@db/x"',
    ],
  },
  EVENTSTORE_URL: {
    unset: undefined,
    good: ['esdb://127.0.0.1:2113?tls=false', 'esdb://127.0.0.1:2113?tls=false'],
    bad: [
      '127.0.0.1:2113',
      'EVENTSTORE_URL: expected an esdb:// or kurrentdb:// connection string, got "127.0.0.1:2113"',
    ],
  },
  EVENT_STORE_SCHEMA: {
    unset: 'event_store',
    good: ['es_2', 'es_2'],
    bad: ['es-2', 'EVENT_STORE_SCHEMA: expected a schema name (letters, digits, _; at most 63), got "es-2"'],
  },
  READ_MODEL_SCHEMA: {
    unset: 'public',
    good: ['rm', 'rm'],
    bad: ['a"b', 'READ_MODEL_SCHEMA: expected a schema name (letters, digits, _; at most 63), got "a\\"b"'],
  },
  DB_POOL_SIZE: {
    unset: 10,
    good: ['4', 4],
    bad: ['0', 'DB_POOL_SIZE: expected an integer from 1 to 1000, got "0"'],
  },
  PORT: {
    unset: 3000,
    good: ['8080', 8080],
    bad: ['abc', 'PORT: expected an integer from 1 to 65535, got "abc"'],
  },
  HOST: { unset: '127.0.0.1', good: ['0.0.0.0', '0.0.0.0'] },
  EMBEDDED_PG_DATA_DIR: { unset: undefined, good: ['/var/lib/ipro', '/var/lib/ipro'] },
  DEMO_DATA: {
    unset: true,
    good: ['false', false],
    bad: ['no', 'DEMO_DATA: expected true or false, got "no"'],
  },
  METRICS_TOKEN: { unset: undefined, good: ['scrape-me', 'scrape-me'] },
  PORTAL_AUTO_ESCALATE: {
    unset: true,
    good: ['false', false],
    bad: ['flase', 'PORTAL_AUTO_ESCALATE: expected true or false, got "flase"'],
  },
  RELAY_IN_PROCESS: {
    unset: false,
    good: ['true', true],
    bad: ['1', 'RELAY_IN_PROCESS: expected true or false, got "1"'],
  },
  DASHBOARD_REFRESH_SECONDS: {
    unset: 15,
    good: ['60', 60],
    bad: ['0.5', 'DASHBOARD_REFRESH_SECONDS: expected an integer from 1 to 3600, got "0.5"'],
  },
  KAFKA_BROKERS: {
    unset: ['127.0.0.1:9092'],
    good: ['k1:9092, k2:9093', ['k1:9092', 'k2:9093']],
    bad: ['k1', 'KAFKA_BROKERS: expected a comma-separated list of host:port, got "k1"'],
  },
  KAFKA_CLIENT_ID: { unset: 'ipro-repair-relay', good: ['relay-2', 'relay-2'] },
  KAFKA_TOPIC: {
    unset: 'ipro.repair.tickets.v1',
    good: ['tickets.v2', 'tickets.v2'],
    bad: [
      'tickets v2',
      'KAFKA_TOPIC: expected a Kafka topic name (letters, digits, . _ -), got "tickets v2"',
    ],
  },
  KAFKA_TOPIC_PARTITIONS: {
    unset: 6,
    good: ['12', 12],
    bad: ['-1', 'KAFKA_TOPIC_PARTITIONS: expected an integer from 1 to 10000, got "-1"'],
  },
  KAFKA_REPLICATION_FACTOR: {
    unset: 1,
    good: ['3', 3],
    bad: ['three', 'KAFKA_REPLICATION_FACTOR: expected an integer from 1 to 32, got "three"'],
  },
  CLOUDEVENTS_SOURCE: {
    unset: '/ipro/repair-service',
    good: ['/ipro/repair-service/eu', '/ipro/repair-service/eu'],
  },
  RELAY_NAME: { unset: undefined, good: ['relay-b', 'relay-b'] },
  RELAY_BATCH_SIZE: {
    unset: undefined,
    good: ['200', 200],
    bad: ['20000', 'RELAY_BATCH_SIZE: expected an integer from 1 to 10000, got "20000"'],
  },
  RELAY_CHECKPOINT_SCHEMA: {
    unset: undefined,
    good: ['relay', 'relay'],
    bad: [
      '1relay',
      'RELAY_CHECKPOINT_SCHEMA: expected a schema name (letters, digits, _; at most 63), got "1relay"',
    ],
  },
  RELAY_HTTP_PORT: {
    unset: undefined,
    good: ['9464', 9464],
    bad: ['70000', 'RELAY_HTTP_PORT: expected an integer from 1 to 65535, got "70000"'],
  },
  LOG_LEVEL: {
    unset: 'info',
    good: ['warn', 'warn'],
    bad: [
      'verbose',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    ],
  },
  LOG_FORMAT: {
    unset: 'json',
    good: ['text', 'text'],
    bad: ['pretty', 'LOG_FORMAT: expected one of json, text, got "pretty"'],
  },
  NODE_ENV: { unset: undefined, good: ['production', 'production'] },
  AUTH_SECRETS: {
    unset: undefined,
    good: [
      'k1:first-secret, k2:second',
      [
        { kid: 'k1', secret: 'first-secret' },
        { kid: 'k2', secret: 'second' },
      ],
    ],
    bad: [
      'k1:first-secret,nokid',
      'AUTH_SECRETS: expected kid:secret entries separated by commas, got a value of 21 characters (not shown)',
    ],
  },
  AUTH_SECRET: { unset: undefined, good: ['a-secret', 'a-secret'] },
  AUTH_JWKS_URL: {
    unset: undefined,
    good: ['https://idp.example/jwks.json', 'https://idp.example/jwks.json'],
    bad: ['idp.example/jwks', 'AUTH_JWKS_URL: expected an http(s) URL of a JWKS, got "idp.example/jwks"'],
  },
  AUTH_ISSUER: {
    unset: ['ipro-repair-dev'],
    good: ['a, b', ['a', 'b']],
    bad: [',,', 'AUTH_ISSUER: expected comma-separated issuer names, got ",,"'],
  },
  AUTH_AUDIENCE: { unset: 'ipro-repair-api', good: ['portal', 'portal'] },
  AUTH_MAX_TOKEN_LIFETIME: {
    unset: 86_400,
    good: ['90m', 5400],
    bad: [
      'forever',
      'AUTH_MAX_TOKEN_LIFETIME: expected a positive duration such as 3600, 90m, 24h or 1d, got "forever"',
    ],
  },
  AUTH_CLOCK_TOLERANCE: {
    unset: 30,
    good: ['0', 0],
    bad: ['301', 'AUTH_CLOCK_TOLERANCE: expected seconds between 0 and 300, got "301"'],
  },
  CLI_OPERATOR: { unset: undefined, good: ['tanaka', 'tanaka'] },
  CONSUMER_GROUP: { unset: 'example-consumer', good: ['billing', 'billing'] },
};

function parseOne(name: string, raw: string | undefined): { value: unknown; problems: string[] } {
  const variable = ALL[name];
  if (!variable) throw new Error(`no variable ${name}`);
  const problems: string[] = [];
  const values = parseVariables({ [name]: variable }, { [name]: raw }, problems);
  return { value: values[name], problems };
}

describe('every variable of every process: default, a good value, a bad value', () => {
  it('the table below covers exactly the variables the processes read', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(ALL).sort());
  });

  describe.each(Object.entries(CASES))('%s', (name, c) => {
    it('unset or blank: the default', () => {
      expect(parseOne(name, undefined)).toEqual({ value: c.unset, problems: [] });
      expect(parseOne(name, '  ')).toEqual({ value: c.unset, problems: [] });
    });

    it(`${c.good[0]} → ${JSON.stringify(c.good[1])}`, () => {
      expect(parseOne(name, c.good[0])).toEqual({ value: c.good[1], problems: [] });
    });

    if (c.bad) {
      const [raw, line] = c.bad;
      it(`${raw}: one line naming it, the shape expected and what was given`, () => {
        expect(parseOne(name, raw).problems).toEqual([line]);
      });
    }
  });
});

describe("the README's configuration table", () => {
  it('has a row for every variable of every process', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = /^### Configuration \(environment\)\n([\s\S]*?)\n#/m.exec(readme)?.[1] ?? '';
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    // A row may name several variables in its first cell (`PORT`, `HOST`).
    const documented = new Set(
      rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1])),
    );
    expect(Object.keys(ALL).filter((name) => !documented.has(name))).toEqual([]);
  });
});
