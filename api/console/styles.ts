// The console's whole stylesheet, served inline under the page's CSP nonce. Khmer text (any element with
// lang="km") uses a Khmer font stack and taller lines for stacked subscript consonants.
export const CONSOLE_CSS = `
:root { --ink:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --accent:#0b5cad; --bad:#b42318;
  --ok:#1a7f37; --warn:#9a6700; color-scheme: light; }
* { box-sizing: border-box; }
body { margin:0; color:var(--ink); background:#fff; line-height:1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Khmer", "Khmer OS", sans-serif; }
:lang(km) { font-family: "Noto Sans Khmer", "Khmer OS", "Khmer OS System", system-ui, -apple-system,
  "Segoe UI", sans-serif; line-height:1.9; }
a { color:var(--accent); }
:focus-visible { outline:3px solid #f59e0b; outline-offset:2px; }
.skip { position:absolute; left:-9999px; } .skip:focus { left:1rem; top:1rem; background:#fff; padding:.5rem; z-index:9; }
header.top { display:flex; gap:1.5rem; align-items:center; padding:.6rem 1.5rem; background:#0d2238; color:#fff; flex-wrap:wrap; }
header.top a { color:#fff; text-decoration:none; padding:.2rem .1rem; }
header.top a[aria-current="page"] { border-bottom:3px solid #f59e0b; }
header.top .brand { font-weight:700; margin-right:auto; }
header.top form { margin:0; }
main { max-width:72rem; margin:0 auto; padding:1rem 1.5rem 3rem; }
h1 { font-size:1.6rem; margin:.8rem 0; } h2 { font-size:1.2rem; margin:1.6rem 0 .6rem; }
.km { color:var(--muted); font-weight:normal; margin-left:.4em; }
header.top a .km { color:#d0d7de; } button.primary .km { color:#fff; } button .km { color:inherit; }
table { border-collapse:collapse; width:100%; } th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--bg); font-weight:600; }
.badge { display:inline-block; padding:0 .5rem; border-radius:1rem; font-size:.85rem; border:1px solid var(--line); background:var(--bg); }
.s-running { background:#dafbe1; border-color:#4ac26b; } .s-paused, .s-deferred { background:#fff8c5; border-color:#d4a72c; }
.s-cancelled, .s-failed { background:#ffebe9; border-color:#ff8182; } .s-done, .s-completed, .s-closed { background:#ddf4ff; border-color:#54aeff; }
.field { margin:0 0 1rem; } .field label, fieldset legend { display:block; font-weight:600; margin-bottom:.25rem; }
.field.check label { display:inline; font-weight:normal; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.hint { color:var(--muted); font-size:.9rem; margin:.1rem 0 .3rem; }
input[type=text], input[type=url], input[type=number], input[type=password], input[type=datetime-local], input[type=search], select, textarea {
  font:inherit; width:100%; max-width:40rem; padding:.45rem .55rem; border:1px solid #8c959f; border-radius:4px; background:#fff; }
textarea { min-height:5rem; }
[aria-invalid="true"] { border:2px solid var(--bad) !important; }
.error { color:var(--bad); font-weight:600; margin:.2rem 0; }
.summary { border:3px solid var(--bad); padding:.6rem 1rem; margin:1rem 0; }
.summary h2 { margin:.2rem 0 .4rem; color:var(--bad); }
.notice { border-left:5px solid var(--accent); background:#ddf4ff; padding:.6rem 1rem; margin:1rem 0; }
.notice.ok { border-color:var(--ok); background:#dafbe1; }
button, .button { font:inherit; padding:.45rem 1rem; border-radius:4px; border:1px solid #1f2328; background:#f6f8fa; color:var(--ink); cursor:pointer; text-decoration:none; display:inline-block; }
button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
button.danger { background:#fff; border-color:var(--bad); color:var(--bad); }
.row { display:flex; gap:1rem; flex-wrap:wrap; align-items:flex-end; } .row > * { margin-bottom:.5rem; }
.cols { display:grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap:0 2rem; }
fieldset { border:1px solid var(--line); border-radius:6px; padding:.6rem 1rem .2rem; margin:0 0 1rem; }
output.segments { display:block; color:var(--muted); font-size:.9rem; }
ol.timeline { list-style:none; padding:0; margin:0; border-left:3px solid var(--line); }
ol.timeline > li { position:relative; margin:0 0 1rem 1.2rem; padding:.5rem .8rem; border:1px solid var(--line); border-radius:6px; }
ol.timeline > li::before { content:""; position:absolute; left:-1.72rem; top:.9rem; width:.8rem; height:.8rem; border-radius:50%; background:var(--line); }
ol.timeline > li.s-running::before { background:var(--ok); } ol.timeline > li.s-done::before { background:#54aeff; }
ol.timeline > li.s-cancelled::before, ol.timeline > li.s-skipped::before { background:#ff8182; }
dl.counts { display:flex; flex-wrap:wrap; gap:.2rem 1.2rem; margin:.3rem 0 0; } dl.counts div { display:flex; gap:.3rem; }
dl.counts dt { color:var(--muted); } dl.counts dd { margin:0; font-weight:600; }
.controls { display:flex; gap:.6rem; flex-wrap:wrap; margin:.6rem 0 1rem; } .controls form { margin:0; }
.funnel text { font-size:13px; fill:#1b1f24; }
.muted { color:var(--muted); }
#search-results { margin-top:1rem; }
`;
