import { InvalidConfigurationError } from '@app/config';

import { parseApiConfig } from '../../apps/api/src/config/api.config';
import { parseCliSettings } from '../../apps/cli/src/cli.config';
import { parseRelayConfig } from '../../apps/relay/src/relay.config';

function problemsOf(parse: () => unknown): readonly string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('the api configuration', () => {
  it('with nothing set: the embedded default on 127.0.0.1:3000, dev secret, sample data, JSON logs at info', () => {
    const config = parseApiConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      demoData: true,
      log: { level: 'info', format: 'json' },
      auth: { isDevSecret: true },
      runtime: {
        eventStoreSchema: 'event_store',
        readModelSchema: 'public',
        poolSize: 10,
        escalationMode: 'on_receipt',
      },
    });
    expect(config.runtime.databaseUrl).toBeUndefined();
    expect(config.runtime.relay).toBeUndefined();
  });

  it('names every bad variable on its own line, in one error', () => {
    expect(
      problemsOf(() => parseApiConfig({ PORT: 'abc', DB_POOL_SIZE: '0', NODE_ENV: 'production' })),
    ).toEqual([
      'DB_POOL_SIZE: expected an integer from 1 to 1000, got "0"',
      'PORT: expected an integer from 1 to 65535, got "abc"',
      'AUTH_SECRET: expected a key of at least 32 bytes, or AUTH_SECRETS or AUTH_JWKS_URL (one must be set in production), got nothing',
    ]);
  });

  it('never prints a secret: a short production key is described by its length', () => {
    const problems = problemsOf(() =>
      parseApiConfig({ NODE_ENV: 'production', AUTH_SECRET: 'short-but-secret' }),
    );
    expect(problems).toEqual([
      'AUTH_SECRET: expected at least 32 bytes in production, got 16 bytes (not shown)',
    ]);
  });

  it('production: a JWKS over plain http is refused, an https one accepted', () => {
    expect(
      problemsOf(() => parseApiConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'http://idp/jwks' })),
    ).toEqual(['AUTH_JWKS_URL: expected an https URL in production, got "http://idp/jwks"']);
    expect(
      parseApiConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp/jwks' }).auth.isDevSecret,
    ).toBe(false);
  });

  it('AUTH_SECRETS with a kid twice names the kid, not the keys', () => {
    expect(problemsOf(() => parseApiConfig({ AUTH_SECRETS: 'k1:one,k1:two' }))).toEqual([
      'AUTH_SECRETS: expected distinct kids, got kid "k1" twice',
    ]);
  });

  it('RELAY_IN_PROCESS: the Kafka variables and the relay options reach the runtime', () => {
    const { runtime } = parseApiConfig({
      RELAY_IN_PROCESS: 'true',
      KAFKA_BROKERS: 'k1:9092',
      KAFKA_TOPIC: 't.v1',
      KAFKA_REPLICATION_FACTOR: '3',
      CLOUDEVENTS_SOURCE: '/x',
      RELAY_BATCH_SIZE: '50',
      RELAY_CHECKPOINT_SCHEMA: 'relay',
    });
    expect(runtime.relay).toEqual({
      brokers: ['k1:9092'],
      clientId: 'ipro-repair-relay',
      topics: { tickets: { name: 't.v1', partitions: 6, replicationFactor: 3 } },
      source: '/x',
    });
    expect(runtime.relayOptions).toEqual({ batchSize: 50, checkpointSchema: 'relay' });
  });

  it('RELAY_IN_PROCESS with EVENTSTORE_URL is refused (the checkpoint lives in the PostgreSQL event store)', () => {
    expect(
      problemsOf(() => parseApiConfig({ RELAY_IN_PROCESS: 'true', EVENTSTORE_URL: 'esdb://h:2113' })),
    ).toEqual([
      'RELAY_IN_PROCESS: expected false with EVENTSTORE_URL (the relay checkpoint lives in the PostgreSQL event store), got "true"',
    ]);
  });
});

describe('the relay configuration', () => {
  it('DATABASE_URL is required', () => {
    expect(problemsOf(() => parseRelayConfig({}))).toEqual([
      'DATABASE_URL: expected the PostgreSQL server of the relay checkpoint (required by the relay), got nothing',
    ]);
  });

  it('the checkpoint schema follows EVENT_STORE_SCHEMA unless RELAY_CHECKPOINT_SCHEMA names one', () => {
    const url = 'postgres://u@h/db';
    expect(parseRelayConfig({ DATABASE_URL: url, EVENT_STORE_SCHEMA: 'es' }).checkpointSchema).toBe('es');
    expect(
      parseRelayConfig({ DATABASE_URL: url, EVENT_STORE_SCHEMA: 'es', RELAY_CHECKPOINT_SCHEMA: 'cp' })
        .checkpointSchema,
    ).toBe('cp');
  });
});

describe('the CLI configuration', () => {
  it('parses without DATABASE_URL (help works); a command that opens a store then asks for it', () => {
    const settings = parseCliSettings({});
    expect(() => settings.store()).toThrow('DATABASE_URL is not set');
  });

  it('CLI_OPERATOR names the operator', () => {
    expect(parseCliSettings({ CLI_OPERATOR: 'tanaka' }).operator()).toBe('tanaka');
  });

  it('a bad schema name is refused before any command', () => {
    expect(problemsOf(() => parseCliSettings({ READ_MODEL_SCHEMA: 'x y' }))).toEqual([
      'READ_MODEL_SCHEMA: expected a schema name (letters, digits, _; at most 63), got "x y"',
    ]);
  });
});
