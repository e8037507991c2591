// The load generator's page: plain HTML + inline script and SVG (no CDN, works
// offline). Every URL is relative so it works at / and behind /loadgen/.
export const UI_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Astronomy Shop load generator</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b2f; background: #f6f7fb; }
  header { background: #1b1b2f; color: #fff; padding: 12px 20px; display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0 16px 0 0; }
  header .kv { font-size: 13px; } header .kv b { display: block; font-size: 18px; }
  main { padding: 16px 20px; }
  form { display: flex; gap: 8px; align-items: end; flex-wrap: wrap; margin-bottom: 12px; }
  label { font-size: 12px; display: flex; flex-direction: column; gap: 2px; }
  input { width: 90px; padding: 4px; }
  button { padding: 6px 14px; cursor: pointer; }
  table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
  th, td { padding: 5px 8px; border-bottom: 1px solid #e3e5ee; text-align: right; }
  th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
  tr.total td { font-weight: bold; }
  td.fail { color: #b3261e; }
  section { margin-bottom: 20px; }
  .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
  .chart { background: #fff; padding: 8px; } .chart h3 { margin: 0 0 4px; font-size: 13px; }
  svg { width: 100%; height: 160px; }
  .legend span { font-size: 12px; margin-right: 12px; }
  #error { color: #b3261e; }
  nav a { margin-right: 12px; }
</style>
</head>
<body>
<header>
  <h1>Load generator</h1>
  <div class="kv">Target<b id="target">-</b></div>
  <div class="kv">State<b id="state">-</b></div>
  <div class="kv">Users<b id="users">-</b></div>
  <div class="kv">RPS<b id="rps">-</b></div>
  <div class="kv">Failures<b id="failpct">-</b></div>
</header>
<main>
  <form id="start">
    <label>Number of users<input name="users" type="number" min="0" max="500" value="5" required></label>
    <label>Spawn rate (users/s)<input name="spawnRate" type="number" min="0.1" max="100" step="0.1" value="1" required></label>
    <button type="submit">Start / update</button>
    <button type="button" id="stop">Stop</button>
    <button type="button" id="reset">Reset stats</button>
    <span id="error"></span>
  </form>
  <nav><a href="api/stats.csv">Download stats CSV</a><a href="api/failures.csv">Download failures CSV</a><a href="api/stats">JSON</a></nav>
  <section>
    <h2>Requests</h2>
    <table>
      <thead><tr><th>Type</th><th>Name</th><th># Requests</th><th># Fails</th><th>Median (ms)</th><th>95%ile (ms)</th><th>Average (ms)</th><th>Max (ms)</th><th>Current RPS</th><th>Failures/s</th></tr></thead>
      <tbody id="rows"></tbody>
    </table>
  </section>
  <section class="charts">
    <div class="chart"><h3>Requests per second</h3><svg id="chart-rps" viewBox="0 0 600 160" preserveAspectRatio="none"></svg>
      <div class="legend"><span style="color:#2e7d32">&#9632; RPS</span><span style="color:#b3261e">&#9632; failures/s</span></div></div>
    <div class="chart"><h3>Response times (ms)</h3><svg id="chart-rt" viewBox="0 0 600 160" preserveAspectRatio="none"></svg>
      <div class="legend"><span style="color:#1565c0">&#9632; median</span><span style="color:#ef6c00">&#9632; 95th percentile</span></div></div>
  </section>
  <section>
    <h2>Failures</h2>
    <table>
      <thead><tr><th>Type</th><th>Name</th><th>Error</th><th># Occurrences</th><th>Last</th></tr></thead>
      <tbody id="failures"></tbody>
    </table>
  </section>
</main>
<script>
const $ = (id) => document.getElementById(id);
function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = String(text); if (cls) td.className = cls; tr.appendChild(td); }
function renderRows(body, rows, total) {
  const tbody = $('rows'); tbody.replaceChildren();
  for (const r of rows.concat([total])) {
    const tr = document.createElement('tr'); if (r === total) tr.className = 'total';
    cell(tr, r.method); cell(tr, r.name); cell(tr, r.count); cell(tr, r.failures, r.failures ? 'fail' : '');
    cell(tr, r.medianMs); cell(tr, r.p95Ms); cell(tr, r.meanMs); cell(tr, r.maxMs); cell(tr, r.rps); cell(tr, r.failuresPerS);
    tbody.appendChild(tr);
  }
}
function renderFailures(list) {
  const tbody = $('failures'); tbody.replaceChildren();
  for (const f of list) { const tr = document.createElement('tr'); cell(tr, f.method); cell(tr, f.name); cell(tr, f.error); cell(tr, f.occurrences); cell(tr, f.lastAt); tbody.appendChild(tr); }
}
function line(svg, points, key, max, color) {
  if (points.length < 2) return;
  const w = 600, h = 150, n = points.length;
  const d = points.map((p, i) => (i * w / (n - 1)).toFixed(1) + ',' + (h - (p[key] / max) * (h - 10)).toFixed(1)).join(' ');
  const pl = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  pl.setAttribute('points', d); pl.setAttribute('fill', 'none'); pl.setAttribute('stroke', color); pl.setAttribute('stroke-width', '2');
  pl.setAttribute('vector-effect', 'non-scaling-stroke'); svg.appendChild(pl);
}
function chart(id, points, series) {
  const svg = $(id); svg.replaceChildren();
  const max = Math.max(1, ...points.flatMap((p) => series.map(([k]) => p[k])));
  const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  t.setAttribute('x', '4'); t.setAttribute('y', '12'); t.setAttribute('font-size', '11'); t.textContent = 'max ' + max; svg.appendChild(t);
  for (const [k, c] of series) line(svg, points, k, max, c);
}
async function refresh() {
  try {
    const res = await fetch('api/stats', { cache: 'no-store' });
    const s = await res.json();
    $('target').textContent = s.target; $('state').textContent = s.state; $('users').textContent = s.users + ' / ' + s.targetUsers;
    $('rps').textContent = s.aggregated.rps;
    $('failpct').textContent = s.aggregated.count ? (100 * s.aggregated.failures / s.aggregated.count).toFixed(1) + '%' : '0%';
    $('error').textContent = s.flagError ? 'flagd: ' + s.flagError + ' (using defaults)' : '';
    renderRows($('rows'), s.endpoints, s.aggregated);
    renderFailures(s.failures);
    chart('chart-rps', s.history, [['rps', '#2e7d32'], ['failuresPerS', '#b3261e']]);
    chart('chart-rt', s.history, [['medianMs', '#1565c0'], ['p95Ms', '#ef6c00']]);
  } catch (e) { $('error').textContent = 'cannot reach the load generator: ' + e.message; }
}
async function post(path, body) {
  const send = () => fetch(path, { method: 'POST', headers: Object.assign({ 'content-type': 'application/json' }, sessionStorage.adminToken ? { 'x-admin-token': sessionStorage.adminToken } : {}), body: JSON.stringify(body || {}) });
  let res = await send();
  if (res.status === 401) { const token = prompt('Admin token (ADMIN_TOKEN)'); if (token) { sessionStorage.adminToken = token; res = await send(); } }
  if (!res.ok) { const b = await res.json().catch(() => ({})); $('error').textContent = b.error || ('HTTP ' + res.status); }
  refresh();
}
$('start').addEventListener('submit', (e) => { e.preventDefault(); const f = new FormData(e.target); post('api/start', { users: Number(f.get('users')), spawnRate: Number(f.get('spawnRate')) }); });
$('stop').addEventListener('click', () => post('api/stop'));
$('reset').addEventListener('click', () => post('api/reset'));
refresh(); setInterval(refresh, 2000);
</script>
</body>
</html>
`;
