/** The dashboard's styles, shared by the sign-in form and the dashboard (inlined under the page's CSP nonce). */
export const DASHBOARD_STYLE = `
:root { --bg:#f4f6f9; --card:#fff; --ink:#1d2433; --muted:#667085; --line:#e4e7ec; --accent:#0b5cad;
        --ok:#12805c; --warn:#b54708; --bad:#b42318; }
* { box-sizing: border-box; }
body { margin:0; font-family: system-ui, "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", Meiryo, sans-serif;
       background:var(--bg); color:var(--ink); font-size:14px; }
header { display:flex; align-items:center; gap:16px; padding:14px 24px; background:#0f2747; color:#fff; }
header h1 { font-size:18px; margin:0; font-weight:600; letter-spacing:.02em; }
header .sub { color:#b9c6d8; font-size:12px; }
header .spacer { flex:1; }
header button, header label { font:inherit; font-size:12px; color:#fff; }
header button { background:transparent; border:1px solid #5d7598; border-radius:6px; padding:5px 10px; cursor:pointer; }
header button[aria-pressed="true"] { background:#fff; color:#0f2747; border-color:#fff; }
main { padding:20px 24px 32px; display:grid; gap:16px; grid-template-columns: repeat(12, 1fr); }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px 18px; }
.card h2 { font-size:13px; font-weight:600; margin:0 0 12px; color:var(--muted); text-transform:none; }
.kpi { grid-column: span 3; }
.kpi .value { font-size:34px; font-weight:700; line-height:1.1; }
.kpi .note { color:var(--muted); font-size:12px; margin-top:4px; }
.wide { grid-column: span 7; } .narrow { grid-column: span 5; } .half { grid-column: span 6; }
@media (max-width: 1100px) { .kpi { grid-column: span 6; } .wide, .narrow, .half { grid-column: span 12; } }
table { border-collapse: collapse; width:100%; font-size:12px; }
th, td { padding:6px 8px; border-bottom:1px solid var(--line); text-align:right; white-space:nowrap; }
th:first-child, td:first-child { text-align:left; }
thead th { color:var(--muted); font-weight:600; }
.legend { display:flex; flex-wrap:wrap; gap:6px 14px; margin-top:10px; font-size:12px; color:var(--muted); }
.legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:5px; vertical-align:-1px; }
.badge { display:inline-block; padding:2px 8px; border-radius:999px; font-size:12px; font-weight:600; }
.badge.ok { background:#e7f6ef; color:var(--ok); } .badge.warn { background:#fef0e6; color:var(--warn); }
.badge.bad { background:#fdecea; color:var(--bad); }
.empty { color:var(--muted); padding:18px 0; text-align:center; }
.error { background:#fdecea; color:var(--bad); border:1px solid #f5c2bd; padding:10px 14px; border-radius:8px; grid-column: span 12; }
svg text { font-family: inherit; }
.signin { max-width:460px; margin:8vh auto; }
.signin label { display:block; font-weight:600; margin:14px 0 6px; }
.signin textarea { width:100%; min-height:110px; font:12px ui-monospace, monospace; padding:8px; border:1px solid var(--line); border-radius:8px; }
.signin button { margin-top:14px; background:var(--accent); color:#fff; border:0; border-radius:8px; padding:9px 16px; font:inherit; cursor:pointer; }
.signin p { color:var(--muted); line-height:1.6; }
`;
