// The public surface of @ownerbot/domain/advice: what other packages use; the rest is internal.
export { factLines, memoReport } from "./advice/memo.ts";
export type { MemoFact } from "./advice/memo.ts";
export { adviceReply, adviceTopicsReply, briefHeader, keptBriefNote } from "./advice/reply.ts";
export { ADVICE_QUESTION, BRIEF_PHRASES, PLAYBOOKS, isMemoRequest, topicOf } from "./advice/topics.ts";
export type { AdviceTopic } from "./advice/topics.ts";
