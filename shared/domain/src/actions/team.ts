import { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import { countOf } from "../format/plural.ts";
import { boolParam } from "../tools/params.ts";
import { CHATS_TO } from "./common.ts";
import { defineAction, type ActionContext, type ActionPreview } from "./types.ts";

// notify_team (reference §3 #15): a message from the owner to every MANAGER_CHAT_IDS chat. The
// commit does not call Telegram: each delivery is an outbox row the sender delivers (and retries);
// worker-action reports afterwards how many arrived (PARTIAL_DELIVERY / DELIVERY_FAILED).

const input = z.object({
  message: z.string().trim().min(1).max(1000),
  silent: boolParam().default(false),
});

export function teamText(message: string, ctx: Pick<ActionContext, "actorId" | "correlationId">): string {
  return `📣 Сообщение от владельца\n\n${message}\n\n— владелец ${ctx.actorId} · ${ctx.correlationId}`;
}

function recipients(ctx: ActionContext): readonly number[] {
  if (ctx.managerChatIds.length === 0)
    throw new AppError("CONFIG_MISSING", "Чаты команды не настроены: задайте MANAGER_CHAT_IDS, и сообщения будут уходить туда.");
  return ctx.managerChatIds;
}

export const notifyTeam = defineAction({
  name: "notify_team",
  title: "Сообщение команде",
  description: "Send the owner's message (1..1000 chars) to every MANAGER_CHAT_IDS chat through the outbox; partial delivery is reported.",
  input,
  async preview(i, ctx): Promise<ActionPreview> {
    const chats = recipients(ctx);
    const text = teamText(i.message, ctx);
    return {
      title: "Сообщение команде",
      summary: [`Получат: ${countOf(chats.length, CHATS_TO)}${i.silent ? " (без звука)" : ""}`, "Текст:", text],
      rows: [],
      affected: chats.length,
      unit: "чатов",
      warnings: [],
      source: "MANAGER_CHAT_IDS",
      noop: false,
      force: "none",
      commit: { message: i.message, silent: i.silent },
    };
  },
  async commit(i, ctx) {
    const chats = recipients(ctx);
    const text = teamText(i.message, ctx);
    return {
      lines: [`Сообщение передано на отправку: ${countOf(chats.length, CHATS_TO)} команды`],
      affected: chats.length,
      deliveries: chats.map((chatId) => ({ chatId, text })),
      data: { silent: i.silent },
    };
  },
});
