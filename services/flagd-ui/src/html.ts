import { currentVariant, type FlagConfig, switchTarget } from './flags.ts';

export const escapeHtml = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `
:root{--ink:#1b1f3b;--muted:#5b6079;--line:#dfe2ee;--accent:#425cc7;--bg:#f6f7fb;--ok:#1f8a4c;--bad:#b3261e}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}
header{background:#101633;color:#fff;padding:.8rem 1.5rem;display:flex;gap:1.5rem;align-items:center}
header h1{font-size:1.1rem;margin:0;font-weight:600}header nav a{color:#cdd5ff;margin-right:1rem;text-decoration:none}
header nav a.active{color:#fff;border-bottom:2px solid #f5a800}
main{max-width:1100px;margin:1.5rem auto;padding:0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1rem}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1rem;display:flex;flex-direction:column;gap:.5rem}
.card h2{font-size:1rem;margin:0;font-family:ui-monospace,monospace}.card p{margin:0;color:var(--muted)}
.card.changed{border-color:var(--accent);box-shadow:0 0 0 2px #425cc733}
.variants{font-size:.8rem;color:var(--muted);font-family:ui-monospace,monospace}
.variants b{color:var(--ink)}select{font:inherit;padding:.35rem;border-radius:6px;border:1px solid var(--line);width:100%}
.note{font-size:.8rem;color:#8a5a00;background:#fff5dc;border-radius:6px;padding:.3rem .5rem}
.status{min-height:1.2rem;font-size:.85rem}.status.ok{color:var(--ok)}.status.bad{color:var(--bad)}
textarea{width:100%;min-height:60vh;font:13px/1.4 ui-monospace,monospace;border:1px solid var(--line);border-radius:8px;padding:.8rem}
button{font:inherit;background:var(--accent);color:#fff;border:0;border-radius:6px;padding:.5rem 1.2rem;cursor:pointer}
ul.errors{color:var(--bad);font-family:ui-monospace,monospace;font-size:.85rem}
`;

function layout(prefix: string, active: 'flags' | 'advanced', body: string, script: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Feature flags · Astronomy Shop</title><style>${STYLE}</style></head>
<body data-prefix="${escapeHtml(prefix)}">
<header><h1>Astronomy Shop · feature flags</h1><nav>
<a href="${escapeHtml(prefix)}/" class="${active === 'flags' ? 'active' : ''}">Flags</a>
<a href="${escapeHtml(prefix)}/advanced" class="${active === 'advanced' ? 'active' : ''}">Advanced (JSON)</a>
</nav></header>
<main>${body}</main>
<script>${script}</script>
</body></html>
`;
}

const show = (v: unknown) => JSON.stringify(v);

export function dashboardPage(config: FlagConfig, prefix: string): string {
  const cards = Object.entries(config.flags)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, flag]) => {
      const selected = currentVariant(flag);
      const options = Object.entries(flag.variants)
        .map(
          ([name, value]) =>
            `<option value="${escapeHtml(name)}"${name === selected ? ' selected' : ''}>${escapeHtml(name)} → ${escapeHtml(show(value))}</option>`,
        )
        .join('');
      const variants = Object.entries(flag.variants)
        .map(([name, value]) => `${escapeHtml(name)}=${escapeHtml(show(value))}`)
        .join(', ');
      const targeting = flag.targeting
        ? `<div class="note">This flag has targeting rules${
            switchTarget(flag) === 'then-branch' ? ': the switch sets the rule’s “then” variant.' : '.'
          }</div>`
        : '';
      return `<section class="card" data-flag="${escapeHtml(key)}">
<h2>${escapeHtml(key)}</h2>
<p>${escapeHtml(flag.description ?? '')}</p>
<div class="variants">variants: ${variants}<br>default: <b class="default">${escapeHtml(flag.defaultVariant ?? 'none')}</b>${
        flag.state === 'DISABLED' ? ' · <b>DISABLED</b>' : ''
      }</div>
${targeting}
<label><span class="variants">variant</span>
<select name="${escapeHtml(key)}" aria-label="${escapeHtml(key)}">${options}</select></label>
<div class="status" role="status"></div>
</section>`;
    })
    .join('\n');
  return layout(
    prefix,
    'flags',
    `<p>Changes are written to the flag file at once; flagd picks them up within a second or two.</p><div class="grid">${cards}</div>`,
    DASHBOARD_SCRIPT,
  );
}

// Writes are JSON POSTs (the server refuses anything else); when the server
// runs with ADMIN_TOKEN, a 401 asks for the token once and keeps it for the tab.
const ADMIN_POST = `
async function adminPost(url, body) {
  const send = () => fetch(url, {
    method: 'POST',
    headers: Object.assign({'content-type': 'application/json'},
      sessionStorage.adminToken ? {'x-admin-token': sessionStorage.adminToken} : {}),
    body: JSON.stringify(body),
  });
  let res = await send();
  if (res.status === 401) {
    const token = prompt('Admin token (ADMIN_TOKEN)');
    if (token) { sessionStorage.adminToken = token; res = await send(); }
  }
  return res;
}
`;

// Each select posts its flag's new variant; a poll keeps the page in step
// with edits made elsewhere (another tab, the API, the advanced editor).
const DASHBOARD_SCRIPT = `${ADMIN_POST}
const prefix = document.body.dataset.prefix;
for (const select of document.querySelectorAll('select')) {
  select.addEventListener('change', async () => {
    const card = select.closest('.card');
    const status = card.querySelector('.status');
    status.className = 'status'; status.textContent = 'saving…';
    select.disabled = true;
    try {
      const res = await adminPost(prefix + '/api/flags/' + encodeURIComponent(select.name), {variant: select.value});
      const body = await res.json();
      if (!res.ok) throw new Error(body.error || res.statusText);
      status.className = 'status ok'; status.textContent = 'saved: ' + select.value;
      card.querySelector('.default').textContent = body.flag.defaultVariant ?? 'none';
    } catch (e) {
      status.className = 'status bad'; status.textContent = 'not saved: ' + e.message;
    } finally { select.disabled = false; }
  });
}
setInterval(async () => {
  try {
    const res = await fetch(prefix + '/api/read');
    if (!res.ok) return;
    const { flags } = await res.json();
    for (const select of document.querySelectorAll('select')) {
      const flag = flags[select.name];
      if (!flag || select === document.activeElement || select.disabled) continue;
      const rule = flag.targeting && Array.isArray(flag.targeting.if) && flag.targeting.if.length === 3 ? flag.targeting.if : null;
      const current = rule && typeof rule[1] === 'string' ? rule[1] : flag.defaultVariant;
      if (current !== null && select.value !== current) select.value = current;
    }
  } catch {}
}, 5000);
`;

export function advancedPage(config: FlagConfig, prefix: string): string {
  return layout(
    prefix,
    'advanced',
    `<p>The whole flag file. It is validated (JSON syntax, flagd’s flag schema, variant names) before anything is written.</p>
<form id="editor"><textarea name="json" spellcheck="false" aria-label="flag configuration">${escapeHtml(
      JSON.stringify(config, null, 2),
    )}</textarea>
<p><button type="submit">Save</button> <span class="status" role="status"></span></p>
<ul class="errors" aria-live="polite"></ul></form>`,
    ADVANCED_SCRIPT,
  );
}

const ADVANCED_SCRIPT = `${ADMIN_POST}
const prefix = document.body.dataset.prefix;
const form = document.getElementById('editor');
const status = form.querySelector('.status');
const errors = form.querySelector('.errors');
function showErrors(list) {
  errors.replaceChildren(...list.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  status.className = 'status'; status.textContent = ''; showErrors([]);
  let data;
  try { data = JSON.parse(form.json.value); }
  catch (e) { status.className = 'status bad'; status.textContent = 'not saved'; showErrors(['JSON syntax: ' + e.message]); return; }
  const res = await adminPost(prefix + '/api/write', { data });
  const body = await res.json().catch(() => ({}));
  if (res.ok) { status.className = 'status ok'; status.textContent = 'saved'; }
  else { status.className = 'status bad'; status.textContent = 'not saved'; showErrors(body.errors || [body.error || res.statusText]); }
});
`;
