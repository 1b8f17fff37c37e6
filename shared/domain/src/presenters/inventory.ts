import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatNumber } from "../format/numbers.ts";
import { countOf, ITEMS } from "../format/plural.ts";
import { truncate } from "../format/text.ts";
import type { InventorySection, ProductRow } from "../tools/provider.ts";
import type { InventoryData } from "../tools/results/inventory.ts";
import { blocks, footer, grid, money, pageSizeOf, resultPager, toolButton } from "./common.ts";

export const SECTION_RU: Record<InventorySection, string> = {
  out_of_stock: "Нет в наличии",
  low_stock: "Заканчиваются",
  missing_photo: "Без фото",
  missing_price: "Без цены",
  missing_video: "Без видео",
  return_flags: "Частые возвраты",
  unpublished: "Сняты с публикации",
};

const SECTION_ICON: Record<InventorySection, string> = {
  out_of_stock: "⛔",
  low_stock: "🟠",
  missing_photo: "🖼",
  missing_price: "🏷",
  missing_video: "🎬",
  return_flags: "↩️",
  unpublished: "🙈",
};

function productLine(p: ProductRow, section: InventorySection, ctx: ToolContext): string {
  const extra =
    section === "low_stock" || section === "out_of_stock"
      ? `осталось ${formatNumber(p.stockQty, ctx.shop.locale)}`
      : section === "missing_price"
        ? `цена ${money(p.price, ctx.shop)}`
        : p.category;
  return `• ${truncate(p.title, 40)} (${p.productId}) · ${extra}`;
}

export function presentInventoryStatus(result: ToolResult<InventoryData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const sections = Object.keys(SECTION_RU) as InventorySection[];
  if (d.section === "all") {
    const countsLines = sections.map((s) => `${SECTION_ICON[s]} ${SECTION_RU[s]}: ${formatNumber(d.counts[s], ctx.shop.locale)}`);
    const lists = (["out_of_stock", "low_stock"] as const)
      .filter((s) => (d.lists[s]?.length ?? 0) > 0)
      .map((s) => [
        `${SECTION_RU[s]}${s === "low_stock" ? ` (≤ ${d.lowStockLte})` : ""}:`,
        ...(d.lists[s] ?? []).map((p) => productLine(p, s, ctx)),
      ]);
    const buttons = sections
      .filter((s) => d.counts[s] > 0)
      .map((s) => toolButton(`${SECTION_ICON[s]} ${SECTION_RU[s]}`, "inventory_status", { section: s, low_stock_lte: d.lowStockLte }));
    return [
      {
        text: blocks("📦 Склад и каталог", countsLines, ...lists, footer(result, { period: false })),
        buttons: grid(buttons, 2),
      },
    ];
  }
  const s = d.section;
  const rows = d.lists[s] ?? [];
  const size = pageSizeOf(result);
  const total = d.counts[s];
  return [
    {
      text: blocks(
        `${SECTION_ICON[s]} ${SECTION_RU[s]}${s === "low_stock" ? ` (остаток ≤ ${d.lowStockLte})` : ""}`,
        total === 0 ? "Таких товаров нет." : `Всего: ${countOf(total, ITEMS)}`,
        rows.slice(0, size).map((p) => productLine(p, s, ctx)),
        footer(result, { period: false }),
      ),
      buttons: [
        ...resultPager(result, "inventory_status", { offset: d.offset, pageSize: size, total }),
        [toolButton("📦 Все разделы", "inventory_status", { section: "all", low_stock_lte: d.lowStockLte })],
      ],
    },
  ];
}
