import { jsonParam, type Queryable } from "./sql.ts";
import type { AuditInsert } from "./outbox.queries.ts";

export async function recordAudit(db: Queryable, a: AuditInsert): Promise<void> {
  await db.query("INSERT INTO audit_events (event_type, correlation_id, actor_id, payload) VALUES ($1, $2, $3, $4)", [
    a.type,
    a.correlationId ?? null,
    a.actorId ?? null,
    jsonParam(a.payload ?? {}),
  ]);
}
