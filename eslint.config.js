// Type-aware linting for every package; `make lint` fails on any warning.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "shared/core/src/db/schema.ts", "**/*.html"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      // Handlers implement async interfaces; an await-free one is fine.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // Process lifecycle (signals, exit) belongs to each process's main: shared code and service
    // start functions return handles with stop() instead (shared/core/src/ops/lifecycle.ts).
    files: ["shared/*/src/**/*.ts", "services/*/src/**/*.ts"],
    ignores: ["**/*.test.ts", "shared/testkit/src/**", "shared/core/src/ops/lifecycle.ts", "**/*-cli.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name=/^(exit|on|once|kill)$/]",
          message: "process lifecycle belongs to main.ts via runMain (shared/core/src/ops/lifecycle.ts); return a handle with stop()",
        },
      ],
    },
  },
  {
    // Production never imports a test kit (shared/testkit/src, services/*/src/testing); the two demo
    // scripts are the exceptions, the same as ALLOW_TESTKIT in scripts/import-check.ts, which also
    // fails on cycles, service -> service edges and undeclared dependencies (`make check`).
    files: ["shared/*/src/**/*.ts", "services/*/src/**/*.ts", "scripts/**/*.ts"],
    ignores: ["**/*.test.ts", "**/src/testing/**", "shared/testkit/**", "scripts/demo.ts", "scripts/sis-sim.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/testing/*", "**/testing", "@ownerbot/testkit", "@ownerbot/testkit/*", "**/testkit/**"],
              message: "production code never imports the test kit (docs/architecture.md, scripts/import-check.ts)",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
