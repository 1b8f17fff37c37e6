import type { Logger } from "@ownerbot/core/logger";

export type AuthGate = {
  /** Since when Telegram refuses the bot token, or null while it works. */
  readonly pausedSince: number | null;
  /** When a paused chat should look again. */
  retryAtMs: () => number;
  /** Telegram refused the token (401) or does not know the bot (404): stop sending and probe. */
  trip: (reason: string) => void;
  stop: () => void;
};

/**
 * A bot-wide refusal is not a failed reply: every reply would fail the same way until the token
 * works again (revoked and restored, or fixed in the config). So sending pauses — no attempts are
 * spent, nothing is given up — and a probe asks Telegram every `intervalMs` until it answers.
 */
export function createAuthGate(o: {
  probe: () => Promise<unknown>;
  intervalMs: number;
  log: Logger;
  onPause: () => void;
  onResume: () => void;
}): AuthGate {
  let pausedSince: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const check = async (): Promise<void> => {
    if (stopped || pausedSince === null) return;
    try {
      await o.probe();
      const pausedMs = Date.now() - pausedSince;
      pausedSince = null;
      o.log.warn({ paused_ms: pausedMs }, "Telegram accepts the bot token again: sending resumed");
      o.onResume();
    } catch {
      timer = setTimeout(() => void check(), o.intervalMs);
    }
  };

  return {
    get pausedSince() {
      return pausedSince;
    },
    retryAtMs: () => Date.now() + o.intervalMs,
    trip: (reason) => {
      if (pausedSince !== null || stopped) return;
      pausedSince = Date.now();
      o.log.error(
        { reason, probe_ms: o.intervalMs },
        "Telegram refuses the bot token: sending paused, replies kept; check BOT_TOKEN (probing until it works)",
      );
      o.onPause();
      timer = setTimeout(() => void check(), o.intervalMs);
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
