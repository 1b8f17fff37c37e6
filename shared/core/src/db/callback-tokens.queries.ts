import type { Queryable } from "./sql.ts";

export async function loadCallbackToken(db: Queryable, token: string): Promise<{ chatId: number; payload: unknown } | null> {
  const { rows } = await db.query<{ chat_id: number; payload: unknown }>(
    "SELECT chat_id, payload FROM callback_tokens WHERE token = $1 AND expires_at > now()",
    [token],
  );
  const r = rows[0];
  return r ? { chatId: r.chat_id, payload: r.payload } : null;
}
