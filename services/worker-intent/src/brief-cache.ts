import type { Redis } from "ioredis";
import type { Reply } from "@ownerbot/domain/contract";

// The advisor's data brief, kept per chat and topic (reference §10.1). Asked for again while it is
// kept, it is shown from here instead of running its reports again; «🔄 Обновить сводку» runs them
// again, except within the cooldown after the last run. Redis failing only means no keeping: the
// brief is then built every time.

export type KeptBrief = { builtAt: number; replies: Reply[] };

export type BriefCache = {
  get: (chatId: number, topic: string) => Promise<KeptBrief | undefined>;
  put: (chatId: number, topic: string, brief: KeptBrief) => Promise<void>;
};

export function createBriefCache(o: { redis: Redis; prefix: string; ttlSec: number }): BriefCache {
  const key = (chatId: number, topic: string): string => `${o.prefix}:advice:brief:${chatId}:${topic}`;
  return {
    async get(chatId, topic) {
      if (o.ttlSec === 0) return undefined;
      const raw = await o.redis.get(key(chatId, topic)).catch(() => null);
      if (raw === null) return undefined;
      try {
        const v = JSON.parse(raw) as Partial<KeptBrief>;
        return typeof v.builtAt === "number" && Array.isArray(v.replies) && v.replies.length > 0 ? (v as KeptBrief) : undefined;
      } catch {
        return undefined;
      }
    },
    async put(chatId, topic, brief) {
      if (o.ttlSec === 0) return;
      await o.redis.set(key(chatId, topic), JSON.stringify(brief), "EX", o.ttlSec).catch(() => undefined);
    },
  };
}
