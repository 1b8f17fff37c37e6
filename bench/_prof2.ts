import { startFakeTelegram } from "../shared/src/testing/fake-telegram/index.ts";
import { scratchDb, serviceEnv, sleep, startServices, flushPrefix } from "./lib.ts";
const tg = await startFakeTelegram();
const db = await scratchDb("prof");
const svc = startServices(["ingress", "worker-intent", "sender"], serviceEnv(db, tg.apiRoot, { TELEGRAM_POLL_TIMEOUT_SEC: "25" }));
const pushes: number[] = [];
try {
  await sleep(2500);
  for (let i = 0; i < 40; i++) {
    pushes.push(Date.now());
    tg.pushText(1001, "/start");
    await sleep(50);
  }
  await sleep(1000);
} finally {
  await svc.stop();
  const lines = [...svc.handles[1]!.output().split("\n"), ...svc.handles[2]!.output().split("\n")].filter((l) => /TRACE/.test(l));
  const at = (l: string) => Number(/at (\d+)/.exec(l)?.[1] ?? 0);
  console.log(
    lines
      .filter((l) => at(l) >= pushes[35]! && at(l) < pushes[39]! + 200)
      .sort((a, b) => at(a) - at(b))
      .join("\n"),
  );
  console.log("pushes", pushes.slice(-5).join(" "));
  console.log(
    "sends",
    tg
      .calls()
      .filter((c) => c.method === "sendMessage")
      .slice(-5)
      .map((c) => c.at)
      .join(" "),
  );
  await tg.close();
  await flushPrefix(db.prefix);
  await db.drop();
  process.exit(0);
}
