// Shared by this folder's *.test.ts files only.
import { Api, GrammyError } from "grammy";
import { afterEach } from "vitest";
import { startFakeTelegram } from "./server.ts";
import type { FakeTelegram, FakeTelegramOptions } from "./types.ts";

export const TOKEN = "123456:test-token";

/** Starts a fake per call and closes it after the test. */
export function useFake(): (opts?: FakeTelegramOptions) => Promise<{ fake: FakeTelegram; api: Api }> {
  const started: FakeTelegram[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((f) => f.close()));
  });
  return async (opts = {}) => {
    const fake = await startFakeTelegram(opts);
    started.push(fake);
    return {
      fake,
      api: new Api(opts.token ?? TOKEN, { apiRoot: fake.apiRoot }),
    };
  };
}

/** The envelope the fake answers with, for both the Bot API and the control API. */
export interface Envelope<T> {
  ok: boolean;
  result: T;
  description?: string;
  event_id?: number;
}

export async function envelope<T>(res: Response | Promise<Response>): Promise<Envelope<T>> {
  return (await (await res).json()) as Envelope<T>;
}

export async function grammyError(call: Promise<unknown>): Promise<GrammyError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof GrammyError) return err;
    throw err;
  }
  throw new Error("expected the Bot API call to fail");
}

export async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}
