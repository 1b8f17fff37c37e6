import type { Redis } from "ioredis";
import type { AuditInsert } from "@ownerbot/core/db";

export type GateConfig = {
  ownerIds: readonly number[];
  auditEnabled: boolean;
  auditTtlSec: number;
  notifyOnce: boolean;
  keyPrefix: string;
};

export type GateVerdict = { allowed: true } | { allowed: false; audit: AuditInsert | null; notice: boolean };

/**
 * Owner allowlist. A denied user is audited at most once per throttle window per kind of update
 * (the Redis key expires), and gets at most one polite notice in a private chat when enabled.
 * Updates without a sender are denied too (the reference let them through).
 */
export async function checkOwner(
  redis: Redis,
  cfg: GateConfig,
  u: { userId: number | null; chatId: number; kind: string; payload: Record<string, unknown> },
): Promise<GateVerdict> {
  if (u.userId !== null && cfg.ownerIds.includes(u.userId)) return { allowed: true };
  const uid = u.userId ?? 0;
  const chatType = chatTypeOf(u.payload);
  const [audit, notice] = await Promise.all([
    cfg.auditEnabled ? redis.set(`${cfg.keyPrefix}:deny:${u.kind}:${uid}`, "1", "EX", cfg.auditTtlSec, "NX") : null,
    cfg.notifyOnce && chatType === "private" && uid !== 0
      ? redis.set(`${cfg.keyPrefix}:deny-notice:${uid}`, "1", "EX", 30 * 24 * 3600, "NX")
      : null,
  ]);
  return {
    allowed: false,
    notice: notice === "OK",
    audit:
      audit === "OK"
        ? {
            type: "access_denied",
            actorId: uid || null,
            payload: {
              reason: "not_owner",
              update_kind: u.kind,
              user_id: uid,
              chat_id: u.chatId,
              chat_type: chatType,
              preview: previewOf(u.payload),
            },
          }
        : null,
  };
}

function chatTypeOf(p: Record<string, unknown>): string | undefined {
  const msg = (p.message ?? (p.callback_query as Record<string, unknown> | undefined)?.message) as Record<string, unknown> | undefined;
  return (msg?.chat as Record<string, unknown> | undefined)?.type as string | undefined;
}

function previewOf(p: Record<string, unknown>): string {
  const msg = p.message as Record<string, unknown> | undefined;
  const text = typeof msg?.text === "string" ? msg.text : "";
  return [...text].slice(0, 80).join("");
}
