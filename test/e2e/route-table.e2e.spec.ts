import { operationKeys } from '../support/route-table';
import { bearer, type Key, RouteScenarioKit, type Scenarios, type Send } from './route-scenarios';
import { operationScenarios, ticketQueryScenarios } from './route-scenarios-reads';
import { referenceScenarios } from './route-scenarios-reference';
import { ticketCommandScenarios } from './route-scenarios-ticket-commands';
import { useTicketApp } from './ticket-client';

/**
 * Every operation of the running app's `/openapi.json` succeeds at least once, each from a scenario of its own
 * that checks what the answer says (status reached, fields of the resource), not only the HTTP status.
 *
 * The scenario table is checked against the document both ways: an operation added to the document without a
 * scenario fails the first test, and so does a scenario whose operation left the document. Each scenario calls
 * its own operation through `send`, which builds the request from the document's path template. The scenarios
 * are in route-scenarios-*.ts (one file per group of operations), their shared set-ups in route-scenarios.ts.
 */
describe('route table: every operation of /openapi.json succeeds once, from its own scenario (PGlite)', () => {
  // PGlite: a private database, so neighbours' open transactions on the shared server cannot stall it.
  const app = useTicketApp('pglite');
  const kit = new RouteScenarioKit(app);
  let doc: { paths: Record<string, Record<string, unknown>> };

  beforeAll(async () => {
    doc = (await app.t.http.get('/openapi.json')).body as typeof doc;
  });

  // In this order the scenarios run (they share the app: later ones see what earlier ones stored).
  const SCENARIOS: Scenarios = {
    ...ticketCommandScenarios(kit),
    ...ticketQueryScenarios(kit),
    ...referenceScenarios(kit),
    ...operationScenarios(kit),
  };

  /** A request to the operation `key` as the document has it: path template filled from `params`. */
  const sender =
    (key: Key): Send =>
    async (call) => {
      const [method, template] = key.split(' ') as ['GET' | 'POST', string];
      if (!doc.paths[template]?.[method.toLowerCase()]) throw new Error(`${key} is not in /openapi.json`);
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = call.params?.[name];
        if (value === undefined) throw new Error(`${key}: no value for path parameter ${name}`);
        return encodeURIComponent(value);
      });
      let req = method === 'GET' ? app.t.http.get(path) : app.t.http.post(path);
      if (call.token) req = req.set('authorization', bearer(call.token));
      if (call.query) req = req.query(call.query);
      return method === 'POST' ? req.send(call.body ?? {}) : req;
    };

  it('the scenario table names exactly the operations of /openapi.json (both ways)', () => {
    const documented = operationKeys(doc).sort();
    const scenarios = Object.keys(SCENARIOS).sort();
    expect({
      withoutScenario: documented.filter((k) => !scenarios.includes(k)),
      notDocumented: scenarios.filter((k) => !documented.includes(k)),
    }).toEqual({ withoutScenario: [], notDocumented: [] });
  });

  it.each(Object.keys(SCENARIOS) as Key[])('%s', async (key) => {
    await SCENARIOS[key]!(sender(key));
  });
});
