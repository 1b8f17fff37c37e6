import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["shared/*/src/**/*.test.ts", "services/*/src/**/*.test.ts", "db/**/*.test.ts", "bench/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["shared/testkit/src/global-setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests spawn services; two cores are shared with Postgres and Redis.
    maxWorkers: 2,
    // Under CI a failed test runs once more: the integration tests spawn real processes on two busy
    // cores, and a single timing miss should not sink a run. Every such retry is named at the end
    // (flaky-reporter.ts), so it is seen and fixed, not hidden. TEST_RETRY overrides (0 turns it off).
    retry: Number(process.env.TEST_RETRY ?? (process.env.CI ? 1 : 0)),
    reporters: ["default", "./shared/testkit/src/flaky-reporter.ts"],
  },
});
