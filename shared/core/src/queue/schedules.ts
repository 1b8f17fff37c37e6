// Repeating jobs, declared once like jobs.ts declares the per-row jobs. A BullMQ job scheduler
// creates one job per interval however many scheduler processes upsert it, so a tick runs once.

export const SCHEDULES = {
  notify: {
    queue: "notify",
    /** The job scheduler's id (no `:`; BullMQ derives the job ids from it). */
    schedulerId: "notify-tick",
    jobName: "notify-tick",
  },
  /** Deletes old finished rows (shared/core/src/db/retention.ts) every RETENTION_INTERVAL_SEC. */
  retention: {
    queue: "retention",
    schedulerId: "retention-tick",
    jobName: "retention-tick",
  },
} as const;
