import type { Reply, ToolContext } from "@ownerbot/domain/contract";
import { createRegistry, settingTools, type ToolOutcome } from "@ownerbot/domain/tools";
import { all, ANCHOR, seededShop, type TestShop } from "./test-shop.ts";

// Shared set-up of the notification settings tests: a demo shop, "now" at 07:00 in Moscow on the
// demo's anchor day, the settings tools' registry, and the owner's row read back as JSON with SQL.

export type Row = Record<string, unknown>;

export type NtfKit = {
  s: TestShop;
  ctx: ToolContext;
  /** The context of another owner (each test uses its own, so rows never collide). */
  as: (owner: number) => ToolContext;
  run: (name: string, input: unknown, c?: ToolContext) => Promise<ToolOutcome>;
  okData: <T>(name: string, input: unknown, c: ToolContext) => Promise<{ data: T; replies: Reply[]; outcome: ToolOutcome }>;
  /** The stored row without its change stamp, or undefined when the owner has none. */
  row: (owner: number) => Promise<Row | undefined>;
};

export async function ntfKit(): Promise<NtfKit> {
  const reg = createRegistry(settingTools);
  const s = await seededShop(1000);
  const ctx: ToolContext = { ...s.ctx, now: new Date(`${ANCHOR}T04:00:00Z`), actorId: 4242 };
  const run = (name: string, input: unknown, c: ToolContext = ctx): Promise<ToolOutcome> => reg.run(name, input, c);
  return {
    s,
    ctx,
    as: (owner) => ({ ...ctx, actorId: owner }),
    run,
    okData: async <T>(name: string, input: unknown, c: ToolContext) => {
      const outcome = await run(name, input, c);
      if (!outcome.ok) throw new Error(`${name}: ${outcome.error.code} ${outcome.error.message}`);
      return { data: outcome.result.data as T, replies: reg.present(outcome, c), outcome };
    },
    row: async (owner) => {
      const r = await all<{ j: Row }>(
        s.env,
        "SELECT to_jsonb(n) - 'updated_at' - 'updated_by' AS j FROM owner_notify_settings n WHERE owner_id = $1",
        [owner],
      );
      return r[0]?.j;
    },
  };
}
