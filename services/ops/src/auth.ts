import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

export type Credentials = { user: string; password: string; token: string };

/** Paths a probe (compose, a load balancer) reaches without credentials: they say only "alive"/"ready". */
const OPEN = new Set(["/healthz", "/readyz"]);

/** Equal-time comparison of two strings of any length (their digests have one length). */
function same(a: string, b: string): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db);
}

/** Does this Authorization header carry the configured basic-auth pair or bearer token? */
export function authorized(header: string | undefined, c: Credentials): boolean {
  if (!header) return false;
  const [scheme, value = ""] = header.trim().split(/\s+/, 2) as [string, string?];
  if (/^bearer$/i.test(scheme)) return c.token !== "" && same(value, c.token);
  if (!/^basic$/i.test(scheme) || c.user === "") return false;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  // Both halves are compared, whatever the first gave, so the time says nothing about either.
  const userOk = same(decoded.slice(0, colon), c.user);
  const passwordOk = same(decoded.slice(colon + 1), c.password);
  return userOk && passwordOk;
}

/**
 * Every request but the probes needs credentials: basic auth (what a browser asks for) or a
 * bearer token (scripts, Prometheus). Without them: 401 and the basic-auth challenge.
 */
export function requireCredentials(c: Credentials): MiddlewareHandler {
  return async (ctx, next) => {
    if (OPEN.has(ctx.req.path)) return next();
    if (authorized(ctx.req.header("authorization"), c)) return next();
    ctx.header("WWW-Authenticate", 'Basic realm="OwnerBot ops", charset="UTF-8"');
    return ctx.text("credentials required (OPS_USER/OPS_PASSWORD or the OPS_ADMIN_TOKEN bearer token)\n", 401);
  };
}

const hostOf = (origin: string): string | null => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

/**
 * Writes need OPS_ALLOW_WRITE. Read-only, anything but GET/HEAD is refused here, before bull-board
 * (whose own read-only mode also hides its buttons). With writes on, a form post must come from
 * this board's own pages: a browser that holds the credentials sends them to any site's form.
 */
export function guardWrites(allowWrite: boolean): MiddlewareHandler {
  return async (ctx, next) => {
    const method = ctx.req.method;
    if (method === "GET" || method === "HEAD") return next();
    if (!allowWrite) return ctx.json({ error: "read-only: the ops service changes nothing unless OPS_ALLOW_WRITE=1" }, 403);
    const origin = ctx.req.header("origin");
    const host = ctx.req.header("host");
    if (origin && host && hostOf(origin) !== host) return ctx.json({ error: "cross-site request refused" }, 403);
    return next();
  };
}

/** The ops service does not start open: it needs a basic-auth pair or a bearer token, not trivially short. */
export function credentialProblems(c: Credentials): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (c.user === "" && c.token === "")
    problems.push({
      variable: "OPS_USER",
      message: "set OPS_USER and OPS_PASSWORD (or OPS_ADMIN_TOKEN): the ops service never runs without credentials",
    });
  if (c.user !== "" && c.password.length < 8) problems.push({ variable: "OPS_PASSWORD", message: "expected at least 8 characters" });
  if (c.token !== "" && c.token.length < 16) problems.push({ variable: "OPS_ADMIN_TOKEN", message: "expected at least 16 characters" });
  return problems;
}
