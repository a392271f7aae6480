/** The web UI's stylesheet: readable on a phone, visible focus, AA contrast in light and dark. */
export const APP_CSS = `
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--panel:#f6f6f9;--muted:#55555f;--accent:#1f4fd1;--accent-fg:#fff;--line:#cfcfd8;--ok:#1b6e3a;--warn:#8a5300;--bad:#b3261e}
@media (prefers-color-scheme:dark){:root{--fg:#f2f2f5;--bg:#141418;--panel:#1e1e24;--muted:#b8b8c2;--accent:#9db8ff;--accent-fg:#0b0b10;--line:#3a3a44;--ok:#7ed69b;--warn:#f0b45c;--bad:#ff8a80}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{font-size:16px}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);line-height:1.45}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:10}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--panel)}
header.top .brand{font-weight:700;text-decoration:none;color:var(--fg)}
nav.main ul{display:flex;flex-wrap:wrap;gap:.2rem .9rem;list-style:none;margin:0;padding:0}
nav.main a{text-decoration:none;padding:.2rem 0}
nav.main a[aria-current=page]{font-weight:700;border-bottom:2px solid var(--accent)}
header.top .end{margin-left:auto;display:flex;gap:.6rem;align-items:center}
main{padding:1rem;max-width:72rem;margin:0 auto}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .6rem}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr))}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.9rem;background:var(--panel)}
.card h2{margin-top:0}
.figure{font-size:1.6rem;font-weight:700}
.muted{color:var(--muted)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600}
form.inline{display:inline}
.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:.6rem 0}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
.row label{margin:0 0 .2rem}
input,select,textarea{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:.35rem;padding:.45rem .55rem;max-width:100%}
textarea{width:100%;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
button,.button{font:inherit;display:inline-block;padding:.45rem .9rem;border-radius:.35rem;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:transparent;color:var(--accent)}
button.danger{background:var(--bad);border-color:var(--bad);color:#fff}
button.small{padding:.2rem .5rem;font-size:.9rem}
button:disabled{opacity:.55;cursor:not-allowed}
.notice{padding:.6rem .8rem;border-radius:.35rem;border:1px solid var(--line);margin:.6rem 0}
.notice.error{border-color:var(--bad);color:var(--bad)}
.notice.ok{border-color:var(--ok);color:var(--ok)}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:1rem;border:1px solid var(--line);font-size:.85rem}
.badge.verified{border-color:var(--ok);color:var(--ok)}.badge.pending{border-color:var(--warn);color:var(--warn)}.badge.failed{border-color:var(--bad);color:var(--bad)}
.record-value{display:flex;gap:.4rem;align-items:center}.record-value input{flex:1;min-width:14rem;font-family:ui-monospace,monospace;font-size:.85rem}
.heat-warm{border-color:var(--warn);color:var(--warn)}
.heat-hot,.heat-very_hot{border-color:var(--bad);color:var(--bad)}
.overdue{color:var(--bad);font-weight:600}
svg.chart{max-width:100%;height:auto}
svg.chart text{fill:var(--fg);font-size:12px}
svg.chart.ramp{max-width:32rem}svg.chart.ramp text{font-size:10px}
.column-chart svg.chart text{font-size:9px}.legend{margin-left:.8rem;white-space:nowrap}.swatch{display:inline-block;width:.7rem;height:.7rem;vertical-align:middle}
.swatch.bar{background:var(--accent)}.swatch.bar2{background:var(--ok)}.swatch.bar3{background:var(--warn)}
.figures{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}.figures div{min-width:7rem}
svg.chart .bar{fill:var(--accent)}
svg.chart .bar2{fill:var(--ok)}
svg.chart .bar3{fill:var(--warn)}
svg.chart .axis{stroke:var(--line)}
.login{max-width:26rem;margin:3rem auto}
.login form{margin:1rem 0}
.login input{width:100%}
code.url{overflow-wrap:anywhere}
code.var{white-space:nowrap}
pre{white-space:pre-wrap;word-break:break-word;background:var(--panel);padding:.6rem;border-radius:.35rem}
details{margin:.5rem 0}
iframe.preview{width:100%;min-height:20rem;border:1px solid var(--line);border-radius:.35rem;background:#fff}
ul.cards{list-style:none;padding:0}
.grid{margin-bottom:1rem}
fieldset.days label{display:inline-flex;gap:.3rem;margin-right:.9rem;font-weight:400}
fieldset{border:1px solid var(--line);border-radius:.5rem;margin:0 0 1rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
progress{width:100%}
fieldset.recipes{display:grid;gap:.5rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));padding:.6rem}
fieldset.recipes legend{font-weight:600}
label.recipe{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin:0;padding:.5rem;border:1px solid var(--line);border-radius:.35rem;background:var(--panel)}
label.recipe span{display:flex;flex-direction:column;gap:.2rem}
ol.steps{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;list-style:none;padding:0;margin:0 0 1rem;counter-reset:step}
ol.steps li{counter-increment:step;color:var(--muted)}ol.steps li::before{content:counter(step) ". "}
ol.steps li[aria-current]{color:var(--fg);font-weight:700;border-bottom:2px solid var(--accent)}ol.steps li.done{color:var(--ok)}
fieldset.choices label{display:flex;gap:.4rem;align-items:center;font-weight:400;margin:.3rem 0}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dl.summary dt{font-weight:600}dl.summary dd{margin:0}
fieldset.group,fieldset.action{padding:.4rem .7rem}fieldset.group fieldset.group{border-left:3px solid var(--accent)}
.row.condition{margin:.3rem 0}
main>.card{margin-bottom:1rem}
@media (max-width:40rem){main{padding:.6rem}th,td{padding:.35rem}h1{font-size:1.3rem}}
`;
