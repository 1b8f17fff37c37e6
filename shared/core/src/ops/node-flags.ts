/**
 * The V8 flags every OwnerBot service runs with (make demo / make run, the tests, compose). Without
 * them V8 sizes its heap for this machine's memory, not for a small service: the young generation
 * grows to 64 MB and garbage waits in the old one, so a service peaked at 150–340 MB with a live
 * heap of 40–50 MB (docs/benchmarks.md, "Memory"). Measured without a CPU cost worth seeing.
 * `--optimize-for-size` is not allowed in NODE_OPTIONS, so launchers pass these on the command line.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ["--optimize-for-size", "--max-semi-space-size=4"];

/**
 * And the environment: glibc gives each thread that mallocs its own arena (up to 8 per core), and
 * each keeps what it freed; two arenas hold 5–12 MB less per process here.
 */
export const SERVICE_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };
