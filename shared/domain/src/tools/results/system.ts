import type { AuditEvent } from "../provider.ts";

// The result data of the system tools: plain types the tools return and the presenters read.

/** The payload fields the owner's journal is worded from (presenters/audit-labels.ts). */
export type AuditDetail = { tool?: string; error_code?: string; text?: string };

export type AuditListData = {
  kind: "recent" | "errors";
  offset: number;
  hasMore: boolean;
  /** `payloadPreview` is the raw JSON for ops and exports; the chat shows `detail` in words. */
  events: (Omit<AuditEvent, "payload"> & { payloadPreview: string; detail: AuditDetail })[];
};

export type RetrospectiveData = { events: AuditEvent[] };
