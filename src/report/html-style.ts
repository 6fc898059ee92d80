/** The HTML report's style sheet: system fonts only, light and dark, nothing loaded from anywhere. */
export const HTML_STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5; --good: #1a7f37; --good-bg: #dafbe1; --info: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23;
    --bad: #ff7b72; --bad-bg: #3c1618; --warn: #d29922; --warn-bg: #3a2e10; --good: #3fb950; --good-bg: #12261e; --info: #4493f8; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 16px 24px 48px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 22px; margin: 8px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h4 { margin: 12px 0 4px; font-size: 13px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta strong { color: var(--warn); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; }
.tile { display: block; width: 100%; text-align: left; font: inherit; color: inherit; cursor: pointer;
  border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--head); }
.tile:hover, .tile:focus-visible { border-color: var(--info); }
.tile .n { display: block; font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .l { color: var(--muted); font-size: 12px; }
.tile.bad { background: var(--bad-bg); } .tile.bad .n { color: var(--bad); }
.tile.warn { background: var(--warn-bg); } .tile.warn .n { color: var(--warn); }
.tile.good .n { color: var(--good); }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
#hosts > tbody > tr > td:first-child, #hosts > tbody > tr > td:nth-child(2), #hosts > tbody > tr > td:nth-child(4) { white-space: nowrap; }
.scroll { max-height: 26em; overflow: auto; border-bottom: 1px solid var(--line); }
thead th { background: var(--head); position: sticky; top: 0; z-index: 1; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid var(--info); }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.toolbar { display: flex; gap: 12px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
#filter { font: inherit; padding: 6px 10px; min-width: 400px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
#shown { color: var(--muted); }
button.host { all: unset; cursor: pointer; color: var(--info); font-weight: 600; }
button.host::before { content: "\\25B8 "; color: var(--muted); }
button.host[aria-expanded="true"]::before { content: "\\25BE "; }
button.host:focus-visible { outline: 2px solid var(--info); }
.st { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.st-failed, .st-lost, .st-unreachable { color: var(--bad); }
.st.st-failed, .st.st-lost, .st.st-unreachable { background: var(--bad-bg); }
.st-changed { color: var(--warn); } .st-ok { color: var(--good); } .st-skipped { color: var(--muted); }
.st-not-reached, .st-locked { color: var(--warn); }
.reboot-yes { color: var(--warn); font-weight: 600; }
.muted { color: var(--muted); }
tr.detail-row > td { background: var(--head); padding: 8px 16px 16px; }
table.inner { margin: 4px 0; font-size: 13px; width: auto; min-width: 50%; }
table.inner th { position: static; }
td.msg { white-space: pre-wrap; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
td.files { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
ul.reasons { margin: 0; padding-left: 18px; }
`;
