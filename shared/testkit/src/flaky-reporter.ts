import { relative } from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";

/**
 * Names every test that failed and then passed on a retry, so a retry never hides a flaky test.
 * CI retries a failed test once (vitest.config.ts); the summary line of this reporter says how
 * many needed it, and each one is listed with its file.
 */
export default class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const d = testCase.diagnostic();
    if (d?.flaky) this.flaky.push(`${relative(process.cwd(), testCase.module.moduleId)} > ${testCase.fullName} (retries: ${d.retryCount})`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    if (this.flaky.length === 0) return;
    const lines = [`Flaky: ${this.flaky.length} test(s) passed only on a retry:`, ...this.flaky.map((f) => `  - ${f}`)];
    process.stdout.write(`\n${lines.join("\n")}\n`);
  }
}
