import { sql } from "kysely";
import type { Db } from "@ownerbot/core/db";
import type { CommitResult } from "./types.ts";

// The DEMO provider's idempotency ledger (demo_action_ledger, migration 0025). A commit is one
// transaction: claim the key, apply the effect, store the result. A key that was committed before
// (a retry after a crash between the effect and the action row's finish) gets the first result and
// counts a replay; a key in flight elsewhere waits on the unique index until that transaction ends,
// then replays. A crash mid-commit rolls the whole transaction back, key included, so the retry
// applies the effect once. SIS does the same on its side with the Idempotency-Key header.

export type LedgerOutcome = { result: CommitResult; replayed: boolean };

export async function commitOnce(db: Db, key: string, tool: string, apply: (trx: Db) => Promise<CommitResult>): Promise<LedgerOutcome> {
  return db.transaction().execute(async (trx) => {
    const claimed = await sql<{ k: string }>`
      INSERT INTO demo_action_ledger (idempotency_key, tool, result) VALUES (${key}, ${tool}, '{}'::jsonb)
      ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key AS k`.execute(trx);
    if (claimed.rows.length === 0) {
      const prior = await sql<{ result: CommitResult }>`
        UPDATE demo_action_ledger SET replays = replays + 1, last_replay_at = now()
        WHERE idempotency_key = ${key} RETURNING result`.execute(trx);
      const first = prior.rows[0];
      if (!first) throw new Error(`ledger row ${key} vanished`);
      return { result: first.result, replayed: true };
    }
    const result = await apply(trx);
    await sql`UPDATE demo_action_ledger SET result = ${JSON.stringify(result)}::jsonb WHERE idempotency_key = ${key}`.execute(trx);
    return { result, replayed: false };
  });
}

/**
 * What the ledger holds for an action's key (and its plan steps' <key>:<step>), oldest first: an
 * action given up after its attempts may still have committed in one of them.
 */
export async function storedResults(db: Db, key: string): Promise<CommitResult[]> {
  const r = await sql<{ result: CommitResult }>`SELECT result FROM demo_action_ledger
    WHERE idempotency_key = ${key} OR idempotency_key LIKE ${`${key}:%`} ORDER BY created_at, idempotency_key`.execute(db);
  return r.rows.map((x) => x.result);
}
