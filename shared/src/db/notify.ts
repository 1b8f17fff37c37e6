import pg from "pg";
import type { Logger } from "../logger/index.ts";

// Postgres LISTEN/NOTIFY as the wake-up signal of the hot path: the statement that stores work
// also notifies (delivered at commit), so a listening worker starts within a fraction of a
// millisecond instead of after a queue round trip. Notifications are not durable; the BullMQ jobs
// and the sweepers still cover a listener that was down.

export const CHANNELS = { inbox: "ownerbot_inbox", outbox: "ownerbot_outbox", report: "ownerbot_report" } as const;

/** Payloads are comma-separated chat ids. */
export function parseChatIds(payload: string | undefined): number[] {
  if (!payload) return [];
  const out: number[] = [];
  for (const part of payload.split(",")) {
    const n = Number(part);
    if (Number.isSafeInteger(n)) out.push(n);
  }
  return out;
}

export type Listener = { close: () => Promise<void> };

export function listen(o: {
  url: string;
  channel: string;
  log: Logger;
  onChats: (chatIds: number[]) => void;
  onReconnect?: () => void;
}): Listener {
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: o.url, keepAlive: true });
    c.on("notification", (n) => {
      if (n.channel === o.channel) o.onChats(parseChatIds(n.payload));
    });
    c.on("error", (err) => {
      o.log.warn({ err, channel: o.channel }, "listen connection lost; reconnecting");
      void c.end().catch(() => undefined);
      retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${o.channel}`);
      client = c;
      if (failures > 0) o.onReconnect?.();
      failures = 0;
    } catch (err) {
      o.log.warn({ err, channel: o.channel }, "listen failed; retrying");
      void c.end().catch(() => undefined);
      retry();
    }
  };
  const retry = (): void => {
    if (closed) return;
    failures++;
    setTimeout(() => void connect(), Math.min(200 * 2 ** failures, 5000)).unref();
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}

/** Runs `work(chatId)` for notified chats with at most `limit` at once; a chat already queued is not queued twice. */
export function chatScheduler(limit: number, work: (chatId: number) => Promise<void>) {
  const pending = new Set<number>();
  const running = new Set<number>();
  let active = 0;
  const pump = (): void => {
    for (const chat of pending) {
      if (active >= limit) return;
      if (running.has(chat)) continue;
      pending.delete(chat);
      running.add(chat);
      active++;
      void work(chat).finally(() => {
        active--;
        running.delete(chat);
        pump();
      });
    }
  };
  return {
    add: (chatIds: number[]): void => {
      for (const c of chatIds) pending.add(c);
      pump();
    },
    idle: (): boolean => active === 0 && pending.size === 0,
  };
}
