import type pg from "pg";
import type { Logger } from "@ownerbot/core/logger";
import { reportDelivery, settledDeliveries } from "@ownerbot/core/db";
import { deliveryText } from "@ownerbot/domain/actions";
import { addRowJobsOrLeave, type Queues } from "@ownerbot/core/queue";

// notify_team's messages are outbox rows the sender delivers, retries and, on Telegram's final
// refusal (chat not found, bot blocked), gives up. Once every one of an action's messages has such
// a final status this reports it to the owner, under the outcome on the preview message: all
// delivered, PARTIAL_DELIVERY or DELIVERY_FAILED, with the chats and why. One statement per report
// (delivery 'reported' + the edit + its audit event), so it is told once.

export async function reportSettled(d: { pool: pg.Pool; queues: Queues; log: Logger }): Promise<number> {
  const settled = await settledDeliveries(d.pool, 100);
  for (const s of settled) {
    const line = deliveryText(s.sent, s.failed);
    const text = s.text ? `${s.text}\n\n${line}` : line;
    const edit = s.messageId !== null;
    const outboxId = await reportDelivery(
      d.pool,
      s.id,
      {
        cause: `act:${s.id}:delivery`,
        seq: 0,
        chatId: s.chatId,
        method: edit ? "editMessageText" : "sendMessage",
        payload: { chat_id: s.chatId, ...(edit ? { message_id: s.messageId } : {}), text },
      },
      {
        type: s.failed.length === 0 ? "action_delivered" : s.sent === 0 ? "action_delivery_failed" : "action_delivery_partial",
        correlationId: s.correlationId,
        actorId: s.ownerId,
        payload: {
          action_id: s.id,
          sent: s.sent,
          failed: s.failed.length,
          code: s.failed.length === 0 ? "DELIVERED" : s.sent === 0 ? "DELIVERY_FAILED" : "PARTIAL_DELIVERY",
        },
      },
    );
    if (outboxId !== null) await addRowJobsOrLeave(d.queues, "send", [{ chatId: s.chatId, id: outboxId }], d.log);
  }
  return settled.length;
}
