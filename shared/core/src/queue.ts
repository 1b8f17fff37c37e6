// The public surface of @ownerbot/core/queue: what other packages use; the rest is internal.
export { backoffMs } from "./queue/backoff.ts";
export type { BackoffPolicy } from "./queue/backoff.ts";
export { claimLoop, startChatWork } from "./queue/chat-work.ts";
export type { DrainRun, RowOutcome } from "./queue/chat-work.ts";
export { addRowJobs, addRowJobsOrLeave, closeQueues, createQueues, createRedis } from "./queue/connection.ts";
export type { Queues } from "./queue/connection.ts";
export { JOBS, ROW_JOB_OPTIONS, jobId, rowIdOf } from "./queue/jobs.ts";
export type { JobName } from "./queue/jobs.ts";
export { keepScheduler } from "./queue/keep-scheduler.ts";
export type { KeptScheduler } from "./queue/keep-scheduler.ts";
export type { ChartSeries, ChartSpec, KpiItem, ReportBlock, ReportDoc, ReportRequest } from "./queue/report-doc.ts";
export { SCHEDULES } from "./queue/schedules.ts";
export { startSweeper } from "./queue/sweeper.ts";
export { wakeIntent } from "./queue/wake-intent.ts";
