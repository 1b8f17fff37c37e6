/**
 * Telegram's documented limits: about 30 messages a second overall and one a second per chat.
 * This spaces sends inside one process; 0 turns a limit off (the fake Bot API in benchmarks).
 */
export function createRateLimiter(o: { globalPerSec: number; chatPerSec: number; now?: () => number }) {
  const now = o.now ?? (() => performance.now());
  const globalGap = o.globalPerSec > 0 ? 1000 / o.globalPerSec : 0;
  const chatGap = o.chatPerSec > 0 ? 1000 / o.chatPerSec : 0;
  let globalNext = 0;
  let pausedUntil = 0;
  const chatNext = new Map<number, number>();

  return {
    /** Milliseconds to wait before the next message to this chat, reserving the slot. */
    reserve(chatId: number): number {
      const t = now();
      const at = Math.max(t, globalNext, pausedUntil, chatNext.get(chatId) ?? 0);
      if (globalGap > 0) globalNext = at + globalGap;
      if (chatGap > 0) {
        chatNext.set(chatId, at + chatGap);
        if (chatNext.size > 50_000) for (const [k, v] of chatNext) if (v < t) chatNext.delete(k);
      }
      return at - t;
    },
    /** A 429 pauses the whole bot for the time Telegram asked. */
    pause(ms: number): void {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
