// The public surface of @ownerbot/testkit/fake-openai: what other packages use; the rest is internal.
export { intentAnswer, startFakeOpenAi } from "./fake-openai/index.ts";
