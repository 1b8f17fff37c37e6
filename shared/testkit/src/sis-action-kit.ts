import { createSisActions, createSisHttp } from "@ownerbot/domain/sis";
import { demoCatalog } from "./sis-sim/from-demo.ts";
import { startSisSim, type SisSim } from "./sis-sim/server.ts";
import { createDemoProvider } from "@ownerbot/domain/tools";
import { seededShop, SHOP, type TestShop } from "./test-shop.ts";
import {
  type ActionContext,
  type ActionError,
  type ActionPreview,
  commitAction,
  type CommitResult,
  previewAction,
} from "@ownerbot/domain/actions";

// The SIS action tests' world: a generated demo shop (the bot's database), the SIS simulator over
// the same catalogue on a real port, and an action context whose actions go to SIS through the
// real Actions API client (retries on, short deadlines).

export const ACTOR = 1001;

export type SisActionKit = {
  s: TestShop;
  sim: SisSim;
  ctx: ActionContext;
  preview: (name: string, input: unknown) => Promise<ActionPreview>;
  previewError: (name: string, input: unknown) => Promise<ActionError>;
  commit: (name: string, p: ActionPreview, o?: { force?: boolean; key?: string }) => Promise<CommitResult>;
  commitError: (name: string, p: ActionPreview, o?: { force?: boolean; key?: string }) => Promise<ActionError>;
  applies: (endpoint: string) => { idempotencyKey: string | undefined }[];
  close: () => Promise<void>;
};

export async function startSisActionKit(): Promise<SisActionKit> {
  const s = await seededShop(1000);
  const sim = await startSisSim({
    shop: createDemoProvider(s.env.db),
    actors: [ACTOR],
    fx: { base: "USD", quote: SHOP.currency, rate: 90 },
    ...demoCatalog(s.env.pool),
  });
  const http = createSisHttp({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 1000, maxRetries: 2, backoffBaseMs: 20, bulkhead: 4 });
  const ctx: ActionContext = {
    db: s.env.db,
    shop: s.ctx.shop,
    now: s.ctx.now,
    correlationId: "upd-sis-1",
    actorId: ACTOR,
    managerChatIds: [],
    upstream: "sis",
    sisActions: createSisActions(http, { apiKey: sim.apiKey }),
  };
  let n = 0;
  const run = async (name: string, p: ActionPreview, o: { force?: boolean; key?: string } = {}) =>
    commitAction(name, p.commit, ctx, o.key ?? `sis-k-${++n}`, o.force ?? false);
  return {
    s,
    sim,
    ctx,
    async preview(name, input) {
      const o = await previewAction(name, input, ctx);
      if (!o.ok) throw new Error(`${name}: ${o.error.code} ${o.error.message}`);
      return o.preview;
    },
    async previewError(name, input) {
      const o = await previewAction(name, input, ctx);
      if (o.ok) throw new Error(`${name}: expected a refusal, got a preview`);
      return o.error;
    },
    async commit(name, p, o) {
      const r = await run(name, p, o);
      if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
      return r.result;
    },
    async commitError(name, p, o) {
      const r = await run(name, p, o);
      if (r.ok) throw new Error(`${name}: expected a failure, got ${r.result.lines.join("; ")}`);
      return r.error;
    },
    applies: (endpoint) =>
      sim.requests.filter(
        (r) => r.path === `/ownerbot/v1/actions/${endpoint}/apply` || (endpoint === "fx/settings" && r.path.endsWith("/fx/settings")),
      ),
    close: async () => {
      await sim.close();
      await s.env.close();
    },
  };
}
