/**
 * The operations dashboard: one self-contained page (no CDN, no build step: the machines have no internet).
 * It reads only the projection endpoints (`/dashboard/summary`, `/health`) with the HttpOnly session cookie,
 * draws inline SVG charts, refreshes itself, and switches between Japanese and English labels. The styles and the
 * browser script are modules of their own (dashboard-page.styles.ts, dashboard-page.script.ts).
 */
import { dashboardScript } from './dashboard-page.script';
import { DASHBOARD_STYLE } from './dashboard-page.styles';

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Sign-in form: the operator pastes an ops token once; the server answers with an HttpOnly cookie. */
export function signInPage(nonce: string, error?: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>運用ダッシュボード · Operations dashboard</title><style nonce="${nonce}">${DASHBOARD_STYLE}</style></head>
<body><div class="card signin">
<h1>運用ダッシュボード<br><small>Operations dashboard</small></h1>
<p>運用 (ops) ロールのトークンを貼り付けてください。<br>Paste a token with the <b>ops</b> role. The server opens a
session of at most 12 hours (never longer than the token); the browser keeps only its random id.</p>
${error ? `<div class="error" role="alert" id="signin-error">${escapeHtml(error)}</div>` : ''}
<form method="post" action="/dashboard/session">
<label for="token">トークン / Token</label>
<textarea id="token" name="token" required autocomplete="off" spellcheck="false"></textarea>
<button type="submit" id="signin">サインイン / Sign in</button>
</form></div></body></html>`;
}

export function dashboardPage(nonce: string, refreshSeconds: number): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>運用ダッシュボード · Operations dashboard</title><style nonce="${nonce}">${DASHBOARD_STYLE}</style></head>
<body>
<header>
  <div><h1 data-i18n="title"></h1><div class="sub"><span data-i18n="updated"></span> <span id="updated">–</span></div></div>
  <div class="spacer"></div>
  <label><input type="checkbox" id="auto" checked> <span data-i18n="auto"></span></label>
  <button id="refresh" data-i18n="refresh"></button>
  <button id="lang-ja" aria-pressed="false">日本語</button><button id="lang-en" aria-pressed="false">English</button>
  <form method="post" action="/dashboard/sign-out"><button type="submit" data-i18n="signOut"></button></form>
</header>
<main id="main">
  <div class="error" id="error" hidden></div>
  <section class="card kpi"><h2 data-i18n="open"></h2><div class="value" id="open-total">–</div><div class="note" data-i18n="openNote"></div></section>
  <section class="card kpi"><h2 data-i18n="transit"></h2><div class="value" id="in-transit">–</div><div class="note" data-i18n="transitNote"></div></section>
  <section class="card kpi"><h2 data-i18n="visits"></h2><div class="value" id="visits">–</div><div class="note" id="visits-next"></div></section>
  <section class="card kpi"><h2 data-i18n="lag"></h2><div class="value" id="lag">–</div><div class="note" id="lag-note"></div></section>
  <section class="card wide"><h2 data-i18n="byScheme"></h2><div id="scheme-chart"></div><div class="legend" id="scheme-legend"></div></section>
  <section class="card narrow"><h2 data-i18n="aging"></h2><div id="aging-chart"></div></section>
  <section class="card half"><h2 data-i18n="mttr"></h2><div id="mttr-chart"></div></section>
  <section class="card half"><h2 data-i18n="visitsByDate"></h2><div id="visits-chart"></div></section>
  <section class="card wide"><h2 data-i18n="matrix"></h2><div id="matrix"></div></section>
  <section class="card narrow"><h2 data-i18n="health"></h2><div id="health"></div></section>
</main>
<script nonce="${nonce}">${dashboardScript(refreshSeconds)}</script>
</body></html>`;
}
