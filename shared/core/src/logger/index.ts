import { pino, type Logger, type DestinationStream } from "pino";
import { makeScrubber } from "./scrub.ts";

export type { Logger } from "pino";
export { makeScrubber } from "./scrub.ts";

export type LoggerOptions = {
  name: string;
  level?: string;
  secrets?: readonly string[];
  destination?: DestinationStream;
};

/**
 * The root logger of one process. Every line passes the scrubber on its final text, so a token
 * hidden in a nested error's URL is removed as surely as one in a message.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const scrub = makeScrubber(opts.secrets);
  return pino(
    {
      name: opts.name,
      level: opts.level ?? "info",
      base: { svc: opts.name },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.errWithCause },
      hooks: { streamWrite: (s) => scrub(s) },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
