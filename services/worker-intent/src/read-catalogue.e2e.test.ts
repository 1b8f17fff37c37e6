import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { World } from "@ownerbot/testkit/world";
import { ownerChat, startDemoWorld } from "@ownerbot/testkit/owner-chat";
import { REFERENCE_READ_TOOLS } from "@ownerbot/domain/read-catalogue";
import { startFakeSis, type FakeSis } from "@ownerbot/testkit/fake-sis";

// Every read tool of the reference, asked the way an owner would, through the real pipeline
// (fake Telegram → ingress → worker → sender): each answers, none with an error or a "not yet".

let tg: FakeTelegram;
let world: World;
let sis: FakeSis;
beforeAll(async () => {
  // A configured (fake) SIS, so the capability probe really runs from the worker's own config.
  sis = await startFakeSis();
  world = await startDemoWorld({ seed: 7, env: { SIS_BASE_URL: sis.url, SIS_OWNERBOT_API_KEY: sis.apiKey } });
  ({ tg } = world);
});
afterAll(async () => {
  await world?.close();
  await sis?.close();
});

const FAILURE = /не подключ|пока недоступ|внутренняя ошибка|Не понял|Такого отчёта нет|Сведения о системе недоступны/i;

describe("the reference's read tools through the pipeline", () => {
  it.each(REFERENCE_READ_TOOLS)("$tool answers «$phrase»", async ({ phrase }) => {
    const { text } = await ownerChat(tg).ask(phrase);
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(FAILURE);
    // A tool error is rendered as "⚠️ <Title>: <message>" on the first line.
    expect(text.split("\n")[0]).not.toMatch(/^⚠️ [^:]+: /u);
  });

  it("probed the configured SIS with its key", () => {
    const actions = sis.calls.filter((c) => c.path.startsWith("/ownerbot/v1/actions/"));
    expect(actions).toHaveLength(6);
    expect(actions.every((c) => c.headers["x-ownerbot-key"] === sis.apiKey)).toBe(true);
    // Preflight's ping of the read gateway at start-up carries the gateway's own header.
    const gateway = sis.calls.filter((c) => !c.path.startsWith("/ownerbot/v1/actions/"));
    expect(gateway.every((c) => c.headers["x-api-key"] === sis.apiKey)).toBe(true);
  });
});
