import type { NotifySettings } from "../../notify/settings.ts";

// The result data of the ntf tools: plain types the tools return and the presenters read.

export type NtfFeature = "digest" | "quiet" | "weekly" | "fx_delta" | "fx_apply" | "ops" | "escalation";

/** A tool call the reply offers as one tap: the reverse of the change, or a related switch. */
export type NtfButton = { text: string; tool: string; input: Record<string, unknown> };

export type SettingChangeData = {
  tool: string;
  feature: NtfFeature;
  /** Russian headline: what just happened ("Ежедневный дайджест включён"). */
  headline: string;
  /** The row as stored after the change. */
  settings: NotifySettings;
  /** Extra facts for the reply, already in Russian (the FX rate seeded, no incident to ack, …). */
  notes: string[];
  reverse: NtfButton | null;
};

export type NtfStatusData = {
  settings: NotifySettings;
  digestTz: string;
  weeklyTz: string;
  /** ISO instants by the scheduler's rule (notify/schedule.ts); null when that feature is off. */
  nextDigestAt: string | null;
  nextWeeklyAt: string | null;
};
