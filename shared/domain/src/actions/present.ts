import type { Button, Reply, ShopSettings } from "../contract.ts";
import type { PressOutcome } from "@ownerbot/core/db";
import { formatDateTime } from "../format/dates.ts";
import type { ActionError } from "./registry.ts";
import type { ActionPreview, ChangeRow, CommitResult, ForceOffer } from "./types.ts";

// Everything the owner reads about an action: the preview with its buttons, the answer to each
// press (the reference's exact texts where it had them), and the outcome that replaces the preview.

export const RUNNING_TEXT = "⏳ Выполняю…";

/** The answer to every press, by what the press found (ob_action_press). */
export const PRESS_TEXTS: Record<PressOutcome, string> = {
  confirmed: "Выполняю…",
  cancelled: "Отменено.",
  running: "Уже выполняется. Подожди.",
  done: "Уже выполнено.",
  failed: "Предыдущая попытка завершилась ошибкой. Запусти действие снова.",
  expired: "Подтверждение истекло. Запусти действие снова.",
  was_cancelled: "Действие отменено. Запусти его снова, если нужно.",
  denied: "Нет доступа для подтверждения.",
  forged: "Некорректное подтверждение. Запусти действие снова.",
  tampered: "Данные действия изменились после предпросмотра — выполнение заблокировано. Запусти действие снова.",
  blocked: "Действие заблокировано: его данные менялись после предпросмотра. Запусти действие снова.",
  missing: "Такого действия нет. Запусти его снова.",
};

/** Presses whose answer also replaces the preview message (the others only answer the button). */
export const PRESS_EDITS: ReadonlySet<PressOutcome> = new Set(["cancelled", "expired", "tampered"]);

export const ANOMALY_BUTTON = "⚠️ Применить несмотря на аномалию";

function rowLine(r: ChangeRow): string {
  const title = r.title && r.title !== r.id ? ` ${r.title}` : "";
  return `• ${r.id}${title}: ${r.before} → ${r.after}${r.anomaly ? " ⚠️" : ""}`;
}

function rowsBlock(rows: readonly ChangeRow[], affected: number): string[] {
  const lines = rows.map(rowLine);
  if (affected > rows.length && rows.length > 0) lines.push(`… и ещё ${affected - rows.length}`);
  return lines;
}

export function previewText(p: ActionPreview, shop: ShopSettings, expiresAt: Date | null): string {
  if (p.noop) {
    return [`🧾 ${p.title}`, `Изменений нет: ${p.noopReason ?? "всё уже так"}.`, ...p.summary, `Источник: ${p.source}`].join("\n");
  }
  const lines = [`🧾 ${p.title} — предпросмотр`, ...p.summary];
  const rows = rowsBlock(p.rows, p.affected);
  if (rows.length > 0) lines.push("", ...rows);
  const warnings = p.warnings.slice(0, 3).map((w) => `⚠️ ${w.message} (${w.code})`);
  if (warnings.length > 0) lines.push("", ...warnings);
  if (p.forceNote) lines.push(p.forceNote);
  lines.push("", `Источник: ${p.source}`);
  if (expiresAt) lines.push(`Подтвердите до ${formatDateTime(expiresAt, shop.timeZone)} — потом кнопки перестанут действовать.`);
  return lines.join("\n");
}

/** ✅ / ⚠️ / ❌ for a single action; ✅ is left out when nothing could be applied without ⚠️. */
export function previewButtons(id: number, hash: string, force: ForceOffer): Button[][] {
  const b = (text: string, op: "confirm" | "force" | "cancel"): Button => ({ text, action: { t: "act", op, id, hash } });
  const cancel = b("❌ Отменить", "cancel");
  if (force === "none") return [[b("✅ Подтвердить", "confirm"), cancel]];
  if (force === "partial") return [[b("✅ Подтвердить", "confirm"), cancel], [b(ANOMALY_BUTTON, "force")]];
  return [[b(ANOMALY_BUTTON, "force")], [cancel]];
}

/** A plan's buttons; "only the main step" when there are follow-ups, ⚠️ when the main step has an anomaly. */
export function planButtons(id: number, hash: string, withFollowUps: boolean, force: ForceOffer): Button[][] {
  const b = (text: string, op: "all" | "main" | "cancel" | "force"): Button => ({ text, action: { t: "act", op, id, hash } });
  const rows: Button[][] = [];
  if (force !== "required") rows.push([b("✅ Выполнить всё", "all")]);
  if (withFollowUps && force !== "required") rows.push([b("✅ Только основной шаг", "main")]);
  if (force !== "none") rows.push([b(ANOMALY_BUTTON, "force")]);
  rows.push([b("✖️ Отмена", "cancel")]);
  return rows;
}

export function committedText(title: string, r: CommitResult, replayed: boolean): string {
  const lines = [`✅ Выполнено: ${title}`, ...r.lines];
  const rows = rowsBlock(r.rows ?? [], r.affected);
  if (rows.length > 0) lines.push("", ...rows);
  // A retry after a crash: the provider returned what the first, interrupted attempt did.
  if (replayed) lines.push("", "ℹ️ Повтор после сбоя: действие уже было выполнено, показываю его результат.");
  return lines.join("\n");
}

export function failedText(title: string, e: ActionError): string {
  const lines = [`❌ Не выполнено: ${title}`, e.message];
  if (/FORCE_REQUIRED|force required/i.test(e.message))
    lines.push("Запустите действие снова и нажмите «⚠️ Применить несмотря на аномалию».");
  if (!e.outcomeUnknown) lines.push("Ничего не изменено.");
  return lines.join("\n");
}

export const blockedText = (title: string): string =>
  `⛔ ${title}: выполнение заблокировано — данные действия изменились после предпросмотра. Ничего не изменено. Запусти действие снова.`;

/** What became of the team's messages, added under the outcome once every one has a final status. */
export function deliveryText(sent: number, failed: readonly { chatId: number; error: string }[]): string {
  const total = sent + failed.length;
  if (failed.length === 0) return `📬 Команде доставлено: ${sent} из ${total}.`;
  const why = failed
    .slice(0, 5)
    .map((f) => `• чат ${f.chatId}: ${f.error.slice(0, 120)}`)
    .join("\n");
  if (sent === 0) return `❌ Команде не доставлено ни в один чат (DELIVERY_FAILED):\n${why}`;
  return `⚠️ Команде доставлено частично (PARTIAL_DELIVERY): ${sent} из ${total}. Не доставлено:\n${why}`;
}

/** A preview's reply: its text with the buttons, or the noop answer without any. */
export function previewReply(p: ActionPreview, shop: ShopSettings, stored: { id: number; hash: string; expiresAt: Date } | null): Reply {
  if (!stored || p.noop) return { text: previewText(p, shop, null) };
  return { text: previewText(p, shop, stored.expiresAt), buttons: previewButtons(stored.id, stored.hash, p.force) };
}
