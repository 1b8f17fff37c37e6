import type pg from "pg";
import type { SimLook, SimProduct } from "./shop-state.ts";

// The simulator's Actions API catalogue read from a generated demo shop (demo_products,
// demo_looks): tests, `make demo-sis` and the benchmarks give SIS the same shop the read gateway
// answers from.

export function demoCatalog(pool: pg.Pool): { products: () => Promise<SimProduct[]>; looks: () => Promise<SimLook[]> } {
  return {
    products: async () =>
      (
        await pool.query<{ product_id: string; price: number; compare_at_price: number | null; published: boolean; stock_qty: number }>(
          "SELECT product_id, price, compare_at_price, published, stock_qty FROM demo_products ORDER BY product_id",
        )
      ).rows.map((r) => ({
        productId: r.product_id,
        price: Number(r.price),
        compareAt: r.compare_at_price === null ? null : Number(r.compare_at_price),
        published: r.published,
        stock: r.stock_qty,
      })),
    looks: async () =>
      (await pool.query<{ look_id: string; active: boolean }>("SELECT look_id, active FROM demo_looks ORDER BY look_id")).rows.map((r) => ({
        lookId: r.look_id,
        active: r.active,
      })),
  };
}
