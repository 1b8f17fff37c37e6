// The whole stack as one process (the default of make run / make demo and of compose).
import { runMain } from "@ownerbot/core/ops";
import { start } from "./start.ts";

runMain("all", start, { telegram: true });
