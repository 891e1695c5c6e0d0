/**
 * The dashboard's browser script: fetches `/dashboard/summary` and `/health` with the session cookie, draws the
 * inline SVG charts, refreshes itself and switches labels between Japanese and English. Plain browser
 * JavaScript in a string (no build step); inlined by dashboard-page.html.ts under the page's CSP nonce.
 */
export function dashboardScript(refreshSeconds: number): string {
  return `
(() => {
  'use strict';
  const REFRESH_MS = ${Math.max(2, refreshSeconds) * 1000};
  const T = {
    ja: { title: '運用ダッシュボード', updated: '最終更新', auto: '自動更新', refresh: '更新', signOut: 'サインアウト',
      open: '未完了チケット', openNote: '完了・取消を除く', transit: '代替品 輸送中', transitNote: '代替品交換 · パートナーへ輸送中',
      visits: '出張修理 予定', visitsNext: '次回', lag: 'プロジェクション遅延', events: '件', behind: '未反映',
      byScheme: '修理形態 × ステータス別 未完了チケット', aging: '経過日数 (未完了)', mttr: '修理形態別 平均解決時間',
      visitsByDate: '出張修理 訪問予定日', matrix: 'ステータス × 修理形態', health: 'システム状態',
      none: 'データなし', closed: '完了', days: '日', hours: '時間', minutes: '分', total: '合計', position: '位置', running: '稼働',
      yes: 'はい', no: 'いいえ', status: '状態', caughtUp: '最新', fetchError: 'データを取得できません',
      signedOut: 'セッションが切れました。再度サインインしてください。',
      ok: '正常', degraded: '一部異常', down: '停止', relay: 'Kafka 送信 (リレー)', reason: '原因', since: '発生時刻',
      relayLag: '未送信の最古イベント', seconds: '秒', lastError: '直近のエラー' },
    en: { title: 'Operations dashboard', updated: 'Last updated', auto: 'Auto refresh', refresh: 'Refresh', signOut: 'Sign out',
      open: 'Open tickets', openNote: 'excluding closed and cancelled', transit: 'Replacements in transit',
      transitNote: 'replacement scheme · on the way to partner', visits: 'Onsite visits scheduled', visitsNext: 'next',
      lag: 'Projection lag', events: 'events', behind: 'behind', byScheme: 'Open tickets by scheme × status',
      aging: 'Aging of open tickets', mttr: 'Mean time to resolution by scheme', visitsByDate: 'Onsite visits by date',
      matrix: 'Status × scheme', health: 'Health', none: 'No data', closed: 'closed', days: 'd', hours: 'h', minutes: 'min',
      total: 'Total', position: 'position', running: 'running', yes: 'yes', no: 'no', status: 'status',
      caughtUp: 'caught up', fetchError: 'Cannot load data', signedOut: 'Session ended: please sign in again.',
      ok: 'ok', degraded: 'degraded', down: 'down', relay: 'Kafka relay', reason: 'reason', since: 'since',
      relayLag: 'oldest unsent event', seconds: 's', lastError: 'last error' },
  };
  const SCHEME = {
    ja: { replacement: '① 代替品交換', pickup_repair: '② 引き取り修理', onsite_repair: '③ 出張修理', none: '修理形態なし', null: '未判定' },
    en: { replacement: '① Replacement', pickup_repair: '② Pickup repair', onsite_repair: '③ Onsite repair', none: 'No scheme', null: 'Not assessed' },
  };
  const STATUS = {
    ja: { awaiting_proof: '納品日証明待ち', requested: '受付済', escalated: 'エスカレーション済', awaiting_quote: '見積作成待ち',
      awaiting_quote_decision: '見積回答待ち', quote_declined: '見積辞退', in_transit_to_partner: 'パートナーへ輸送中',
      awaiting_failed_unit_return: '故障品返却待ち', failed_unit_returned: '故障品返却済', failed_unit_in_transit: '故障品輸送中',
      failed_unit_received: '故障品受領', repaired: '修理済', delivered: '納品済', onsite_dispatched: '出張修理手配済',
      onsite_completed: '出張修理完了', unrepaired_unit_returned: '未修理返却', referred_to_software_support: 'ソフトウェアサポート案内',
      rejected: '修理不可', not_requested: '未依頼' },
    en: { awaiting_proof: 'Awaiting proof', requested: 'Requested', escalated: 'Escalated', awaiting_quote: 'Awaiting quote',
      awaiting_quote_decision: 'Quote decision', quote_declined: 'Quote declined', in_transit_to_partner: 'In transit to partner',
      awaiting_failed_unit_return: 'Awaiting failed unit', failed_unit_returned: 'Failed unit returned',
      failed_unit_in_transit: 'Failed unit in transit', failed_unit_received: 'Failed unit received', repaired: 'Repaired',
      delivered: 'Delivered', onsite_dispatched: 'Onsite dispatched', onsite_completed: 'Onsite completed',
      unrepaired_unit_returned: 'Returned unrepaired', referred_to_software_support: 'Software support',
      rejected: 'Rejected', not_requested: 'Not requested' },
  };
  const STATUS_ORDER = Object.keys(STATUS.en);
  const PALETTE = ['#0b5cad', '#3b8fd9', '#7cb8ef', '#12805c', '#4fb88b', '#a3d9bf', '#b54708', '#f79009', '#fdb022',
    '#7a5af8', '#b692f6', '#e04f8b', '#f19cbb', '#475467', '#98a2b3', '#0e9384', '#5fe9d0', '#875bf7', '#c4320a', '#84adff'];
  const AGING = { '0-2d': ['0–2日', '0–2 d'], '3-7d': ['3–7日', '3–7 d'], '8-14d': ['8–14日', '8–14 d'],
    '15-30d': ['15–30日', '15–30 d'], '31d+': ['31日以上', '31+ d'] };

  let lang = localStorage.getItem('dashboard.lang') || ((navigator.language || '').startsWith('ja') ? 'ja' : 'en');
  let last = null;
  let timer = null;
  const $ = (id) => document.getElementById(id);
  const t = (k) => T[lang][k] ?? k;
  const schemeLabel = (s) => SCHEME[lang][s === null ? 'null' : s] ?? s;
  const statusLabel = (s) => STATUS[lang][s] ?? s;
  const colorOf = (status) => PALETTE[STATUS_ORDER.indexOf(status) % PALETTE.length] ?? '#98a2b3';
  const nf = () => new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-US');
  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function html(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const empty = () => html('div', { class: 'empty' }, t('none'));
  const duration = (h) => h >= 48 ? (h / 24).toFixed(1) + ' ' + t('days')
    : h >= 1 ? h.toFixed(1) + ' ' + t('hours') : Math.max(1, Math.round(h * 60)) + ' ' + t('minutes');
  const SCHEME_ORDER = ['replacement', 'pickup_repair', 'onsite_repair', 'none', null];
  const bySchemeOrder = (a, b) => SCHEME_ORDER.indexOf(a) - SCHEME_ORDER.indexOf(b);

  function applyLabels() {
    document.documentElement.lang = lang;
    document.title = t('title');
    for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.getAttribute('data-i18n'));
    $('lang-ja').setAttribute('aria-pressed', String(lang === 'ja'));
    $('lang-en').setAttribute('aria-pressed', String(lang === 'en'));
  }

  /** Horizontal stacked bars: one row per scheme, one segment per status. */
  function schemeChart(rows) {
    const box = $('scheme-chart'); box.replaceChildren();
    const legend = $('scheme-legend'); legend.replaceChildren();
    if (rows.length === 0) { box.append(empty()); return; }
    const schemes = [...new Set(rows.map((r) => r.scheme))].sort(bySchemeOrder);
    const statuses = STATUS_ORDER.filter((s) => rows.some((r) => r.status === s))
      .concat([...new Set(rows.map((r) => r.status))].filter((s) => !STATUS_ORDER.includes(s)));
    const totals = schemes.map((s) => rows.filter((r) => r.scheme === s).reduce((n, r) => n + r.count, 0));
    const max = Math.max(...totals, 1);
    const W = 640, labelW = 130, rowH = 34, H = schemes.length * rowH + 8;
    const g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': t('byScheme') });
    schemes.forEach((scheme, i) => {
      const y = i * rowH + 4;
      g.append(svg('text', { x: 0, y: y + 18, 'font-size': 12, fill: '#344054' }, schemeLabel(scheme)));
      let x = labelW;
      for (const status of statuses) {
        const r = rows.find((row) => row.scheme === scheme && row.status === status);
        if (!r) continue;
        const w = (r.count / max) * (W - labelW - 50);
        const rect = svg('rect', { x, y, width: Math.max(w, 2), height: rowH - 10, rx: 3, fill: colorOf(status) });
        rect.append(svg('title', {}, statusLabel(status) + ': ' + r.count));
        g.append(rect);
        if (w > 22) g.append(svg('text', { x: x + w / 2, y: y + 16, 'font-size': 11, fill: '#fff', 'text-anchor': 'middle' }, r.count));
        x += w;
      }
      g.append(svg('text', { x: x + 6, y: y + 17, 'font-size': 12, 'font-weight': 600, fill: '#1d2433' }, nf().format(totals[i])));
    });
    box.append(g);
    for (const s of statuses) {
      const item = html('span'); const sw = html('i'); sw.style.background = colorOf(s);
      item.append(sw, document.createTextNode(statusLabel(s))); legend.append(item);
    }
  }

  /** Vertical bars, one per aging bucket; older buckets warmer. */
  function agingChart(aging) {
    const box = $('aging-chart'); box.replaceChildren();
    const max = Math.max(...aging.map((a) => a.count), 1);
    const W = 420, H = 200, base = 170, bw = 56, gap = (W - aging.length * bw) / (aging.length + 1);
    const colors = ['#4fb88b', '#3b8fd9', '#fdb022', '#f79009', '#b42318'];
    const g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': t('aging') });
    g.append(svg('line', { x1: 0, x2: W, y1: base, y2: base, stroke: '#e4e7ec' }));
    aging.forEach((a, i) => {
      const h = (a.count / max) * 140, x = gap + i * (bw + gap);
      g.append(svg('rect', { x, y: base - h, width: bw, height: Math.max(h, a.count ? 2 : 0), rx: 4, fill: colors[i] || '#98a2b3' }));
      g.append(svg('text', { x: x + bw / 2, y: base - h - 6, 'font-size': 12, 'font-weight': 600, 'text-anchor': 'middle', fill: '#1d2433' }, a.count));
      g.append(svg('text', { x: x + bw / 2, y: base + 18, 'font-size': 11, 'text-anchor': 'middle', fill: '#667085' },
        (AGING[a.bucket] || [a.bucket, a.bucket])[lang === 'ja' ? 0 : 1]));
    });
    box.append(g);
  }

  function barList(box, items, label) {
    box.replaceChildren();
    if (items.length === 0) { box.append(empty()); return; }
    const max = Math.max(...items.map((i) => i.value), 1);
    const W = 520, labelW = 130, rowH = 30, H = items.length * rowH + 6;
    const g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': label });
    items.forEach((it, i) => {
      const y = i * rowH + 3, w = (it.value / max) * (W - labelW - 130);
      g.append(svg('text', { x: 0, y: y + 17, 'font-size': 12, fill: '#344054' }, it.label));
      g.append(svg('rect', { x: labelW, y, width: Math.max(w, 2), height: rowH - 10, rx: 3, fill: it.color || '#0b5cad' }));
      g.append(svg('text', { x: labelW + w + 8, y: y + 16, 'font-size': 12, fill: '#1d2433' }, it.text));
    });
    box.append(g);
  }

  function matrix(rows) {
    const box = $('matrix'); box.replaceChildren();
    if (rows.length === 0) { box.append(empty()); return; }
    const schemes = [...new Set(rows.map((r) => r.scheme))].sort(bySchemeOrder);
    const statuses = STATUS_ORDER.filter((s) => rows.some((r) => r.status === s));
    const max = Math.max(...rows.map((r) => r.count), 1);
    const table = html('table'); const head = html('tr'); head.append(html('th', {}, ''));
    for (const s of schemes) head.append(html('th', {}, schemeLabel(s)));
    head.append(html('th', {}, t('total')));
    const thead = html('thead'); thead.append(head); table.append(thead);
    const body = html('tbody');
    for (const status of statuses) {
      const tr = html('tr'); tr.append(html('td', {}, statusLabel(status)));
      let sum = 0;
      for (const scheme of schemes) {
        const n = rows.find((r) => r.scheme === scheme && r.status === status)?.count ?? 0; sum += n;
        const td = html('td', {}, n ? String(n) : '·');
        if (n) td.style.background = 'rgba(11, 92, 173, ' + (0.08 + 0.4 * n / max).toFixed(2) + ')';
        tr.append(td);
      }
      tr.append(html('th', {}, String(sum))); body.append(tr);
    }
    table.append(body); box.append(table);
  }

  function render(summary, health) {
    $('open-total').textContent = nf().format(summary.openTotal);
    $('in-transit').textContent = nf().format(summary.replacementsInTransit);
    $('visits').textContent = nf().format(summary.onsiteVisitsScheduled.count);
    const next = summary.onsiteVisitsScheduled.byDate[0];
    $('visits-next').textContent = next ? t('visitsNext') + ': ' + next.visitDate : t('none');
    const lagInfo = summary.projectionLag;
    $('lag').textContent = lagInfo.eventsBehind === 0 ? '0' : nf().format(lagInfo.eventsBehind);
    $('lag-note').textContent = lagInfo.eventsBehind === 0 ? t('caughtUp') : t('events') + ' ' + t('behind') + ' · ' + (lagInfo.msBehind / 1000).toFixed(1) + ' s';
    schemeChart(summary.openTickets);
    agingChart(summary.aging);
    barList($('mttr-chart'), [...summary.meanTimeToResolution].sort((a, b) => bySchemeOrder(a.scheme, b.scheme)).map((m) => ({
      label: schemeLabel(m.scheme), value: m.meanHours, text: duration(m.meanHours) + ' · ' + m.closed + ' ' + t('closed'), color: '#12805c' })), t('mttr'));
    barList($('visits-chart'), summary.onsiteVisitsScheduled.byDate.map((v) => ({
      label: v.visitDate, value: v.count, text: String(v.count), color: '#7a5af8' })), t('visitsByDate'));
    matrix(summary.openTickets);
    const h = $('health'); h.replaceChildren();
    const status = health.status;
    const jst = (iso) => new Date(iso).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo' }) + ' JST';
    const statusBadge = (st, id) => html('span', Object.assign({ class: 'badge ' + (st === 'ok' ? 'ok' : st === 'degraded' ? 'warn' : 'bad'), 'data-status': st }, id ? { id } : {}), t(st));
    const table = html('table');
    const row = (k, v, cls) => { const tr = html('tr', cls ? { class: cls } : {}); tr.append(html('td', {}, k)); const td = html('td'); td.append(v); tr.append(td); table.append(tr); };
    row(t('status'), statusBadge(status, 'health-status'));
    row(t('lag'), document.createTextNode(nf().format(lagInfo.eventsBehind) + ' ' + t('events') + ' · ' + lagInfo.msBehind + ' ms'));
    row(t('position'), document.createTextNode(String(lagInfo.position)));
    row(t('running'), document.createTextNode(lagInfo.running ? t('yes') : t('no')));
    if (health.projections && health.projections.lastError) row(t('lastError'), document.createTextNode(String(health.projections.lastError)), 'health-projections-error');
    // Each other part (the in-process Kafka relay): its state, and when it is not ok why and since when, and how
    // old the oldest event it has not yet handed to Kafka is.
    for (const [name, part] of Object.entries(health)) {
      if (name === 'status' || name === 'projections' || typeof part !== 'object' || part === null) continue;
      row(t(name), statusBadge(String(part.status)), 'health-part-' + name);
      if (part.status !== 'ok' && part.lastError) row('· ' + t('reason'), document.createTextNode(String(part.lastError)), 'health-part-' + name + '-reason');
      if (part.status !== 'ok' && part.degradedSince) row('· ' + t('since'), document.createTextNode(jst(part.degradedSince)), 'health-part-' + name + '-since');
      if (typeof part.lagSeconds === 'number') row('· ' + t('relayLag'), document.createTextNode(part.lagSeconds.toFixed(1) + ' ' + t('seconds')), 'health-part-' + name + '-lag');
    }
    h.append(table);
    $('updated').textContent = jst(summary.generatedAt);
    document.body.setAttribute('data-generated-at', summary.generatedAt);
  }

  async function load() {
    const err = $('error');
    try {
      const [s, h] = await Promise.all([fetch('/dashboard/summary', { credentials: 'same-origin' }), fetch('/health')]);
      if (s.status === 401 || s.status === 403) { err.textContent = t('signedOut'); err.hidden = false; stop(); return; }
      if (!s.ok) throw new Error(s.status + ' ' + s.statusText);
      last = { summary: await s.json(), health: await h.json() };
      err.hidden = true;
      render(last.summary, last.health);
    } catch (e) {
      err.textContent = t('fetchError') + ': ' + (e && e.message ? e.message : e); err.hidden = false;
    }
  }
  function stop() { if (timer) clearInterval(timer); timer = null; }
  function schedule() { stop(); if ($('auto').checked) timer = setInterval(load, REFRESH_MS); }
  function setLang(l) { lang = l; localStorage.setItem('dashboard.lang', l); applyLabels(); if (last) render(last.summary, last.health); }

  $('lang-ja').addEventListener('click', () => setLang('ja'));
  $('lang-en').addEventListener('click', () => setLang('en'));
  $('refresh').addEventListener('click', () => { void load(); });
  $('auto').addEventListener('change', schedule);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) void load(); });
  applyLabels();
  void load();
  schedule();
})();
`;
}
