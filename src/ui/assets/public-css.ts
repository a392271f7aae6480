/** The public pages' stylesheet (confirmation, preferences, unsubscribe). */
export const PUBLIC_CSS = `
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#5c5c66;--accent:#1f4fd1;--line:#d0d0d8}
@media (prefers-color-scheme:dark){:root{--fg:#f2f2f5;--bg:#16161a;--muted:#b3b3bd;--accent:#8fb0ff;--line:#3a3a44}}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:var(--fg);background:var(--bg);line-height:1.5}
h1{font-size:1.5rem}
p.muted{color:var(--muted)}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:transparent;color:var(--accent)}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
fieldset{border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:1rem 0}
label{display:flex;gap:.6rem;align-items:center;margin:.4rem 0}
input[type=checkbox]{width:1.2rem;height:1.2rem}
.actions{display:flex;gap:.8rem;flex-wrap:wrap;margin-top:1rem}
`;
