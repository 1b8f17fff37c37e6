import type { Reply, ToolResult } from "../contract.ts";
import type { DashboardData } from "../tools/results/dashboard.ts";
import { toolButton } from "./common.ts";

// The digest, weekly and ops texts are built with their documents (digest/*.ts) so the two never
// disagree; the presenter adds what comes next and says when a picture or PDF follows.

const FOLLOWS: Record<"png" | "pdf", string> = { png: "🖼 График придёт следующим сообщением.", pdf: "📄 PDF придёт следующим сообщением." };

export function presentDashboard(result: ToolResult<DashboardData>): Reply[] {
  const d = result.data;
  const follows = result.report ? `\n\n${FOLLOWS[result.report.format]}` : "";
  const buttons =
    d.kind === "ops"
      ? [[toolButton("💬 Очередь команды", "team_queue_summary", {}), toolButton("🧊 Зависшие", "orders_search", { preset: "stuck" })]]
      : d.kind === "digest"
        ? [[toolButton("🛠 Что горит", "biz_dashboard_ops", {}), toolButton("📈 30 дней", "revenue_trend", { days: 30 })]]
        : [[toolButton("🛠 Что горит", "biz_dashboard_ops", {})]];
  return [{ text: `${d.text}${follows}`, buttons }];
}
