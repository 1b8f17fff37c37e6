import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createPool, migrate } from "@ownerbot/core/db";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDb: string;
    redisUrl: string;
  }
}

type Stop = () => Promise<void>;

/** Where the real Postgres and Redis for this run are: env, then a Docker engine, then local. */
async function locateServices(): Promise<{ pgAdminUrl: string; redisUrl: string; stop: Stop }> {
  const envPg = process.env.DATABASE_URL;
  const envRedis = process.env.REDIS_URL;
  if (envPg || envRedis) {
    return {
      pgAdminUrl: withDb(envPg ?? "postgres://postgres@127.0.0.1:5432/postgres", "postgres"),
      redisUrl: envRedis ?? "redis://127.0.0.1:6379",
      stop: async () => undefined,
    };
  }
  if (dockerAnswers()) {
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
    const { GenericContainer } = await import("testcontainers");
    const pgC = await new PostgreSqlContainer("postgres:16").start();
    const redisC = await new GenericContainer("redis:7")
      .withCommand(["redis-server", "--maxmemory-policy", "noeviction", "--save", ""])
      .withExposedPorts(6379)
      .start();
    return {
      pgAdminUrl: withDb(pgC.getConnectionUri(), "postgres"),
      redisUrl: `redis://${redisC.getHost()}:${redisC.getMappedPort(6379)}`,
      stop: async () => {
        await pgC.stop();
        await redisC.stop();
      },
    };
  }
  return {
    pgAdminUrl: "postgres://postgres@127.0.0.1:5432/postgres",
    redisUrl: "redis://127.0.0.1:6379",
    stop: async () => undefined,
  };
}

function dockerAnswers(): boolean {
  try {
    execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "ignore", timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

export function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { pgAdminUrl, redisUrl, stop } = await locateServices();
  const templateDb = `ob_tmpl_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${templateDb}`);
  const pool = createPool(withDb(pgAdminUrl, templateDb), 2);
  await migrate(pool);
  await pool.end();
  project.provide("pgAdminUrl", pgAdminUrl);
  project.provide("templateDb", templateDb);
  project.provide("redisUrl", redisUrl);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDb} WITH (FORCE)`);
    await admin.end();
    await stop();
  };
}
