import type { AuditInsert, NotifyWrite } from "@ownerbot/core/db";

// Its own module because both the owner's tick (owner.ts) and the digests (digests.ts) speak it,
// and digests.ts is called from owner.ts.

/** What one feature wants written: messages (text parts), report jobs, audits and state. */
export type Effect = {
  state: Record<string, unknown>;
  cause?: string;
  texts?: string[];
  reports?: NotifyWrite["reports"];
  audits?: AuditInsert[];
};
