import type { Reply, ShopSettings } from "@ownerbot/domain/contract";
import type { StoredPreview } from "@ownerbot/core/db";
import { type ActionPreview, type ForceOffer, getAction, planButtons, type PlanSpec, type PreviewOutcome } from "@ownerbot/domain/actions";
import { formatDateTime } from "@ownerbot/domain/format";
import { HOME } from "@ownerbot/domain/ui";
import type { DomainCtx } from "./handle.ts";

// A rule plan's preview (reference §5): every step is shown — read steps with their answer, the
// main step's dry run, the follow-up message and when it is sent — and the plan is confirmed once
// with «✅ Выполнить всё» / «✅ Только основной шаг» / «✖️ Отмена». What is stored is what runs:
// the main step with its pinned commit input, and the follow-ups with their conditions.

export type PlanDeps = {
  dryRun: (name: string, input: Record<string, unknown>) => Promise<PreviewOutcome>;
  readTool: (name: string, input: Record<string, unknown>) => Promise<Reply[]>;
  store: (payload: Record<string, unknown>, preview: Record<string, unknown>, force: ForceOffer) => Promise<StoredPreview>;
  shop: ShopSettings;
};

export type StoredStep = {
  step_id: string;
  kind: "TOOL" | "NOTIFY_TEAM";
  tool: string;
  input: Record<string, unknown>;
  condition: string;
  label: string;
};

const CONDITION: Record<string, string> = {
  commit_succeeded: "если основной шаг выполнится",
  would_apply_true: "если пересчёт нужен",
  always: "всегда",
};

function firstLines(replies: Reply[], n: number): string {
  return (replies[0]?.text ?? "").split("\n").slice(0, n).join("\n   ");
}

function mainBlock(p: ActionPreview): string[] {
  const rows = p.rows.slice(0, 5).map((r) => `   • ${r.id}: ${r.before} → ${r.after}${r.anomaly ? " ⚠️" : ""}`);
  return [...p.summary.map((s) => `   ${s}`), ...rows, ...p.warnings.slice(0, 2).map((w) => `   ⚠️ ${w.message}`)];
}

export async function previewPlan(plan: PlanSpec, ctx: DomainCtx, d: PlanDeps): Promise<Reply[]> {
  const lines = [`🧭 План: ${plan.summary}`];
  const stored: StoredStep[] = [];
  let main: ActionPreview | undefined;
  let followUps = 0;
  for (const [i, step] of plan.steps.entries()) {
    const n = i + 1;
    const title = getAction(step.tool)?.title ?? step.label;
    if (step.kind === "TOOL" && !step.requires_confirm) {
      lines.push(`${n}. ${step.label}:`, `   ${firstLines(await d.readTool(step.tool, step.payload), 6)}`);
      continue;
    }
    const o = await d.dryRun(step.tool, step.payload);
    if (step.kind === "TOOL") {
      if (!o.ok) {
        ctx.audit({ type: "action_preview_failed", payload: { tool: step.tool, plan: plan.plan_id, error_code: o.error.code } });
        return [
          {
            text: [...lines, `${n}. ${title}: ${o.error.message}`, "", "План не выполнить — ничего не изменено."].join("\n"),
            buttons: [[HOME]],
          },
        ];
      }
      main = o.preview;
      if (main.noop) {
        ctx.audit({ type: "action_noop", payload: { tool: step.tool, plan: plan.plan_id, reason: main.noopReason ?? "" } });
        const rest = plan.steps.length > n ? " Следующие шаги не нужны." : "";
        return [{ text: [...lines, `${n}. ${title}: изменений нет — ${main.noopReason ?? "всё уже так"}.${rest}`].join("\n") }];
      }
      lines.push(`${n}. ${title} (основной шаг):`, ...mainBlock(main));
      stored.push({ step_id: step.step_id, kind: "TOOL", tool: step.tool, input: main.commit, condition: step.condition, label: title });
      continue;
    }
    if (!o.ok) {
      lines.push(`${n}. Сообщение команде: не будет отправлено — ${o.error.message}`);
      continue;
    }
    const message = typeof o.preview.commit.message === "string" ? o.preview.commit.message : "";
    lines.push(`${n}. Сообщение команде (${CONDITION[step.condition] ?? step.condition}): «${message}» — ${o.preview.summary[0] ?? ""}`);
    stored.push({
      step_id: step.step_id,
      kind: "NOTIFY_TEAM",
      tool: "notify_team",
      input: o.preview.commit,
      condition: step.condition,
      label: "Сообщение команде",
    });
    followUps++;
  }
  if (!main) return [{ text: [...lines, "", "В плане нет шага, который что-то меняет."].join("\n") }];
  const s = await d.store(
    { plan_id: plan.plan_id, steps: stored },
    { title: `План: ${plan.summary}`, affected: main.affected, unit: main.unit, force: main.force, steps: stored.length },
    main.force,
  );
  if (main.forceNote) lines.push("", main.forceNote);
  lines.push("", `Подтвердите до ${formatDateTime(s.expiresAt, d.shop.timeZone)} — потом кнопки перестанут действовать.`);
  return [{ text: lines.join("\n"), buttons: planButtons(s.id, s.hash, followUps > 0, main.force) }];
}
