// The ASR worker as a process of its own; services/all hosts the same start() beside the others.
import { runMain } from "@ownerbot/core/ops";
import { start } from "./start.ts";

runMain("worker-asr", start);
