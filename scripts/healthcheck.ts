// A container healthcheck without curl in the image: `node scripts/healthcheck.ts <url>` exits 0
// when the URL answers 2xx within 3 s (compose.yaml points it at each service's /readyz).
const url = process.argv[2] ?? "http://127.0.0.1:9465/readyz";
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) process.stderr.write(`${url}: ${res.status} ${await res.text()}\n`);
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  process.stderr.write(`${url}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
