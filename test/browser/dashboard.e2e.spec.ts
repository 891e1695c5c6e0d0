import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TicketClient } from '../e2e/ticket-client';
import { daysAgo } from '../support/dates';
import { loadReferenceData, PARTNER_A, registerUnit, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it), headless, nothing fetched from outside. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '../../test-artifacts');

describe('operations dashboard page in Chromium (server)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let partner: TicketClient;

  const signIn = async (page: Page, token: string): Promise<number | undefined> => {
    await page.goto(`${base}/dashboard`);
    await page.fill('#token', token);
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#signin')]);
    return response?.status();
  };
  const openTotal = (page: Page): Promise<string | null> => page.textContent('#open-total');

  beforeAll(async () => {
    t = await startTestApp('server');
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    await loadReferenceData(t);
    partner = new TicketClient(t, t.tokens.partner(PARTNER_A));
    await fileVariedTickets(t, partner, new TicketClient(t, t.tokens.support));
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a non-ops token at sign-in and keeps the data endpoints closed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    expect(await signIn(page, t.tokens.partner(PARTNER_A))).toBe(403);
    expect(await page.textContent('#signin-error')).toContain(
      'role partner may not open the operations dashboard',
    );
    expect(await signIn(page, t.tokens.support)).toBe(403);
    expect(await context.cookies()).toEqual([]);
    const summary = await page.goto(`${base}/dashboard/summary`);
    expect(summary?.status()).toBe(401);
    await context.close();
  });

  it('an ops token opens the dashboard with data; a ticket filed through the api shows after refresh', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    expect(await signIn(page, t.tokens.ops)).toBe(200);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: 'ops_session',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/dashboard',
    });

    await page.locator('#open-total', { hasText: /^6$/ }).waitFor();
    expect(await page.textContent('h1')).toBe('Operations dashboard');
    // The open tickets fileVariedTickets leaves, one segment per (scheme, status) with its count, in the
    // chart's order (① ② ③, statuses in workflow order); written out from the fixture, not from the data.
    expect(await page.locator('#scheme-chart svg rect title').allTextContents()).toEqual([
      'In transit to partner: 1', // r1: replacement shipped
      'Escalated: 1', // p3: filed, escalated
      'Awaiting quote: 1', // the camera out of warranty: paid pickup repair, quote to come
      'Failed unit in transit: 1', // p1: sent by the partner
      'Failed unit received: 1', // p2: received by i-PRO
      'Onsite dispatched: 1', // o1: technician dispatched
    ]);
    expect(await page.locator('#aging-chart svg rect').count()).toBe(5);
    expect(await page.textContent('#health-status')).toBe('ok');

    await partner.file(
      repairRequest(await registerUnit(t, UNITS.cameraPickup, 'live'), {
        failureDescription: 'filed while the dashboard is open',
      }),
    );
    await page.click('#refresh');
    await page.locator('#open-total', { hasText: /^7$/ }).waitFor();
    expect(await openTotal(page)).toBe('7');
    expect(await page.textContent('#in-transit')).toBe('1');
    expect(await page.textContent('#visits')).toBe('1');
    expect(await page.locator('#mttr-chart svg rect').count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });

    await page.click('#lang-ja');
    expect(await page.textContent('h1')).toBe('運用ダッシュボード');
    expect(await page.textContent('#scheme-legend')).toContain('エスカレーション済');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-ja.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the health card says which part is degraded, why, since when and how far behind, in both languages', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'en-US' });
    const page = await context.newPage();
    // The page as it renders a relay outage: the real /health with its relay part replaced by a degraded one
    // (relay degradation itself is made to happen in test/e2e/health.e2e.spec.ts and the relay int tests).
    await page.route('**/health', async (route) => {
      const real = await route.fetch();
      const body = (await real.json()) as Record<string, unknown>;
      await route.fulfill({
        response: real,
        json: {
          ...body,
          status: 'degraded',
          relay: {
            status: 'degraded',
            lastError: 'KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
            degradedSince: '2026-11-30T01:02:03.000Z',
            lagSeconds: 12.34,
          },
        },
      });
    });
    expect(await signIn(page, t.tokens.ops)).toBe(200);
    await page.locator('#health-status', { hasText: 'degraded' }).waitFor();
    const rows = async (): Promise<string[]> =>
      (await page.locator('#health tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    expect((await rows()).slice(4)).toEqual([
      'Kafka relay degraded',
      '· reason KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
      '· since 30/11/2026, 10:02:03 JST',
      '· oldest unsent event 12.3 s',
    ]);

    await page.click('#lang-ja');
    expect(await page.textContent('#health-status')).toBe('一部異常');
    expect((await rows()).slice(4)).toEqual([
      'Kafka 送信 (リレー) 一部異常',
      '· 原因 KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
      '· 発生時刻 2026/11/30 10:02:03 JST',
      '· 未送信の最古イベント 12.3 秒',
    ]);
    await context.close();
  });

  it('the session cookie dies at sign-out: the page asks to sign in again and the data route answers 401', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    expect(await signIn(page, t.tokens.ops)).toBe(200);
    const [cookie] = await context.cookies();
    await Promise.all([page.waitForNavigation(), page.click('form[action="/dashboard/sign-out"] button')]);
    expect(await page.locator('#signin').count()).toBe(1);
    const replay = await t.http.get('/dashboard/summary').set('cookie', `ops_session=${cookie!.value}`);
    expect(replay.status).toBe(401);
    await context.close();
  });

  it('Swagger UI still renders under helmet’s Content-Security-Policy', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
    // Every operation of the document is rendered (one .opblock each): the UI's script ran in full.
    const doc = (await t.http.get('/openapi.json')).body as { paths: Record<string, object> };
    const operations = Object.values(doc.paths).flatMap((p) => Object.keys(p)).length;
    expect(operations).toBeGreaterThan(30);
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  });
});

/**
 * Tickets in several schemes and states, so every chart has something to draw: 6 open (one replacement in
 * transit, one onsite visit scheduled, one awaiting a quote...) and 2 closed (mean time to resolution).
 */
async function fileVariedTickets(t: TestApp, partner: TicketClient, support: TicketClient): Promise<void> {
  const ship = { carrier: 'Yamato', trackingNumber: '4000-1' };
  const hdd = { failedComponent: 'recorder_hdd' };
  const parts = [{ partNumber: 'HDD-4TB', description: 'surveillance HDD', quantity: 1 }];
  const r1 = (await partner.file(repairRequest(UNITS.cameraReplacement))).ticketId;
  await support.act(r1, 'ship-replacement', { ...ship, replacementSerial: 'RPL-1' });
  // One open ticket per unit: each ticket below that is filed while another of its unit is open gets a unit of its own.
  const r2 = (await partner.file(repairRequest(await registerUnit(t, UNITS.cameraReplacement, 'r2'))))
    .ticketId;
  await support.act(r2, 'ship-replacement', { ...ship, replacementSerial: 'RPL-2' });
  await partner.act(r2, 'confirm-replacement-delivered', { deliveredOn: daysAgo(0) });
  await partner.act(r2, 'return-failed-unit', ship);
  await support.act(r2, 'close-ticket', { note: 'exchange complete' });
  const p1 = (await partner.file(repairRequest(UNITS.cameraPickup))).ticketId;
  await partner.act(p1, 'send-failed-unit', ship);
  const p2Unit = await registerUnit(t, UNITS.cameraPickup, 'p2');
  const p2 = (await partner.file(repairRequest(p2Unit))).ticketId;
  await partner.act(p2, 'send-failed-unit', ship);
  await support.act(p2, 'receive-failed-unit', { receivedOn: daysAgo(0), serialNumber: p2Unit.serialNumber });
  await partner.file(repairRequest(await registerUnit(t, UNITS.cameraPickup, 'p3')));
  const o1 = (await partner.file(repairRequest(UNITS.recorderYear1, hdd))).ticketId;
  await support.act(o1, 'dispatch-onsite', { technicianName: '佐藤 技師', visitDate: daysAgo(-3), parts });
  const o2 = (await partner.file(repairRequest(await registerUnit(t, UNITS.recorderYear1, 'o2'), hdd)))
    .ticketId;
  await support.act(o2, 'dispatch-onsite', { technicianName: '鈴木 技師', visitDate: daysAgo(0), parts });
  await support.act(o2, 'complete-onsite-repair', { completedOn: daysAgo(0), workSummary: 'HDD replaced' });
  await support.act(o2, 'close-ticket', { note: null });
  await partner.file(repairRequest(UNITS.cameraOld));
}
