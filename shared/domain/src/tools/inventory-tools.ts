import { z } from "zod";
import { INVENTORY_SECTIONS } from "./demo-catalog.ts";
import { enumParam, intParam, offsetParam } from "./params.ts";
import type { InventorySection } from "./provider.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv } from "./runtime.ts";
import type { InventoryData } from "./results/inventory.ts";

// The catalogue's problem buckets: out of stock, low stock, missing photo/price/video, return flags,
// unpublished. "all" gives every count and the two stock lists; a section gives one list.

/** Rows of each stock list shown in the overview. */
const OVERVIEW_ROWS = 5;

export const inventoryStatus = defineTool({
  name: "inventory_status",
  version: "1.1",
  kind: "read",
  title: "Склад и каталог",
  description:
    "Catalogue health: counts of out-of-stock, low-stock, no-photo, no-price, no-video, return-flagged, unpublished products, with lists.",
  input: z.object({
    low_stock_lte: intParam(0, 999).default(5),
    limit: intParam(1, 50).default(20),
    section: enumParam(["all", ...INVENTORY_SECTIONS] as ["all", ...InventorySection[]]).default("all"),
    offset: offsetParam(),
  }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const p = env.provider;
    const lte = input.low_stock_lte;
    const section = input.section;
    const counts = await p.inventoryCounts(lte);
    const lists: InventoryData["lists"] = {};
    if (section === "all") {
      const n = Math.min(OVERVIEW_ROWS, input.limit);
      const [oos, low] = await Promise.all([p.inventoryList("out_of_stock", lte, n, 0), p.inventoryList("low_stock", lte, n, 0)]);
      lists.out_of_stock = oos;
      lists.low_stock = low;
    } else {
      lists[section] = await p.inventoryList(section, lte, input.limit, input.offset);
    }
    const data: InventoryData = { section, lowStockLte: lte, counts, offset: input.offset, lists };
    const today = env.clock.today;
    return makeResult(ctx, env, data, { sources: [env.src("demo_products")], window: { from: today, to: today } });
  },
});
