import { JOBS } from "@ownerbot/core/queue";
import type { TableStats } from "./rows.ts";

// The tables page: what the rows say, beside bull-board's view of their jobs. Plain HTML with
// every value escaped, no scripts; a retry is a form post (allowed only with OPS_ALLOW_WRITE).

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

function age(sec: number | null): string {
  if (sec === null) return "—";
  if (sec < 120) return `${sec.toFixed(1)} s`;
  if (sec < 7200) return `${(sec / 60).toFixed(1)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

function section(s: TableStats, allowWrite: boolean): string {
  const def = JOBS[s.name];
  const counts = Object.entries(s.counts).sort(([a], [b]) => a.localeCompare(b));
  const deadRows = s.dead
    .map(
      (r) => `<tr><td><a href="/queue/${esc(def.queue)}/${esc(`${def.idPrefix}-${r.id}`)}">${esc(r.id)}</a></td><td>${esc(r.chatId)}</td>
<td>${esc(r.status)}</td><td>${esc(r.attempts)}</td><td>${esc(r.since.toISOString())}</td><td class="err">${esc((r.lastError ?? "").slice(0, 500))}</td>
<td>${
        allowWrite && r.status !== "expired"
          ? `<form method="post" action="/ops/rows/${esc(s.name)}/${esc(r.id)}/retry"><button>retry</button></form>`
          : ""
      }</td></tr>`,
    )
    .join("\n");
  return `<section><h2>${esc(s.table)} <small>queue <a href="/queue/${esc(def.queue)}">${esc(def.queue)}</a></small></h2>
<table class="counts"><tr>${counts.map(([k]) => `<th>${esc(k)}</th>`).join("")}<th>oldest waiting</th><th>expired leases</th></tr>
<tr>${counts.map(([, n]) => `<td>${esc(n)}</td>`).join("")}<td>${age(s.oldestWaitingSec)}</td><td>${esc(s.expiredLeases)}</td></tr></table>
${
  s.dead.length === 0
    ? "<p>No dead rows.</p>"
    : `<h3>Dead rows (newest ${esc(s.dead.length)})</h3><table class="dead"><tr><th>id</th><th>chat</th><th>status</th><th>attempts</th><th>since</th><th>last error</th><th></th></tr>
${deadRows}</table>`
}</section>`;
}

export function tablesPage(stats: TableStats[], o: { allowWrite: boolean; message?: string | undefined }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OwnerBot ops: tables</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#0f172a}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #cbd5e1;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f5f9}.err{font-family:monospace;white-space:pre-wrap;max-width:40rem}.note{background:#fef9c3;padding:.5rem}
small{font-weight:normal;color:#475569}
</style></head><body>
<p><a href="/">← queues (bull-board)</a> · <a href="/ops/tables">refresh</a> · ${o.allowWrite ? "<b>writes allowed</b>" : "read-only (OPS_ALLOW_WRITE=1 allows retries)"}</p>
<h1>Work tables</h1>
${o.message ? `<p class="note">${esc(o.message)}</p>` : ""}
<p>Rows are the truth, jobs deliver them. A dead row's job is failed with the row's last error; <i>retry</i> puts the row back
to waiting with 0 attempts and runs its job again.</p>
${stats.map((s) => section(s, o.allowWrite)).join("\n")}
</body></html>`;
}
