import type { InventorySection, ProductRow } from "../provider.ts";

// The result data of the inventory tools: plain types the tools return and the presenters read.

export type InventoryData = {
  section: InventorySection | "all";
  lowStockLte: number;
  counts: Record<InventorySection, number>;
  offset: number;
  /** The section's rows, or for "all" the first rows of out_of_stock and low_stock. */
  lists: Partial<Record<InventorySection, ProductRow[]>>;
};
