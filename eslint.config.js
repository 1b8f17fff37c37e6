// Type-aware linting for every package; `make lint` fails on any warning.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "shared/src/db/schema.ts", "**/*.html"] },
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
    // start functions return handles with stop() instead (shared/src/ops/lifecycle.ts).
    files: ["shared/src/**/*.ts", "services/*/src/**/*.ts"],
    ignores: ["**/*.test.ts", "shared/src/testing/**", "shared/src/ops/lifecycle.ts", "**/*-cli.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name=/^(exit|on|once|kill)$/]",
          message: "process lifecycle belongs to main.ts via runMain (shared/src/ops/lifecycle.ts); return a handle with stop()",
        },
      ],
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
