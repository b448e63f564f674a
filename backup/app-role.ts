// The application's own database role and its rotation-safe credential (`provision-app-role`).
//
// The application must not connect as the master user: RDS rotates the master password every 7
// days and ECS injects a secret only when a task starts, so a week after a deploy new connections
// of running tasks would fail; and the master user holds rds_superuser. Instead:
// - a NOLOGIN group role (APP_ROLE, e.g. gad_app) holds what the application needs: connect to
//   its database, use and create in schema public (it runs its own migrations, so it owns its
//   tables), and nothing on the server (no CREATEROLE, CREATEDB, superuser);
// - two LOGIN users, <role>_blue and <role>_green, alternate ("alternating users" rotation,
//   https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html): the
//   credential generation N picks one and gives it a new password; the other keeps its password,
//   so tasks started with it keep connecting until generation N+1, by which time the deploy of N
//   has replaced them. Both log in as the group (`ALTER ROLE ... SET role`), so every object
//   either creates is owned by the group and the other can use it.
// The password reaches the server only as a SCRAM-SHA-256 verifier (never in a statement that a
// server log could record), and the secret is written after the server accepted it.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "crypto";
import type { Client } from "pg";
import { JobError } from "./errors";

/** What the application's secret holds (ECS reads `username` and `password` by JSON key). */
export interface AppCredential {
  readonly username: string;
  readonly password: string;
  readonly generation: number;
}

/** The secret the credential lives in (Secrets Manager, or a fake in tests). */
export interface CredentialStore {
  /** The current value, or undefined when the secret has none yet. */
  get(): Promise<AppCredential | undefined>;
  put(credential: AppCredential): Promise<void>;
}

export interface AppRoleSettings {
  /** The group role, e.g. gad_app. */
  readonly role: string;
  /** The application's database. */
  readonly database: string;
  /** Bumping it rotates: a fresh password for the other user. */
  readonly generation: number;
  /** Extensions the application needs that only an administrator may create. */
  readonly extensions: readonly string[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}$/;

/** The login user of a credential generation: blue for odd, green for even. */
export function appUserFor(role: string, generation: number): string {
  return `${role}_${generation % 2 === 1 ? "blue" : "green"}`;
}

/** Settings from the task's environment; every problem named at once. */
export function appRoleSettings(env: NodeJS.ProcessEnv): AppRoleSettings {
  const problems: string[] = [];
  const role = env.APP_ROLE ?? "";
  if (!IDENTIFIER.test(role)) problems.push("APP_ROLE must be a lower-case SQL identifier");
  const database = env.PGDATABASE ?? "";
  if (database === "") problems.push("PGDATABASE must name the application's database");
  const generation = Number(env.APP_LOGIN_GENERATION ?? "");
  if (!Number.isInteger(generation) || generation < 1)
    problems.push("APP_LOGIN_GENERATION must be an integer of 1 or more");
  const extensions = (env.APP_EXTENSIONS ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of extensions)
    if (!IDENTIFIER.test(e))
      problems.push(`APP_EXTENSIONS: ${JSON.stringify(e)} is no extension name`);
  if (!env.APP_LOGIN_ARN) problems.push("APP_LOGIN_ARN is required");
  if (problems.length > 0) throw new JobError(problems.join("; "));
  return { role, database, generation, extensions };
}

/** PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802, RFC 7677). */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  const b64 = (b: Buffer) => b.toString("base64");
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

const quote = (id: string) => `"${id}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The statements that make `user` a login of the group with `password`; idempotent. */
export function grantStatements(s: AppRoleSettings, user: string, verifier: string): string[] {
  const role = quote(s.role);
  return [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(s.role)}) THEN
         CREATE ROLE ${role} NOLOGIN;
       END IF;
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(user)}) THEN
         CREATE ROLE ${quote(user)} LOGIN;
       END IF;
     END $$`,
    ...s.extensions.map((e) => `CREATE EXTENSION IF NOT EXISTS ${quote(e)}`),
    `GRANT CONNECT, TEMPORARY ON DATABASE ${quote(s.database)} TO ${role}`,
    `GRANT USAGE, CREATE ON SCHEMA public TO ${role}`,
    `ALTER ROLE ${quote(user)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT PASSWORD ${literal(verifier)}`,
    `GRANT ${role} TO ${quote(user)}`,
    // Objects the user creates belong to the group, so the other user can use and alter them.
    `ALTER ROLE ${quote(user)} IN DATABASE ${quote(s.database)} SET role = ${literal(s.role)}`,
  ];
}

/**
 * Makes the group and this generation's user exist with the stored password (a new one when the
 * generation changed or nothing is stored), then stores it. Resolves with what is stored and
 * whether the password changed.
 */
export async function provisionAppRole(
  client: Client,
  store: CredentialStore,
  s: AppRoleSettings,
  newPassword: () => string = () => randomBytes(24).toString("base64url"),
): Promise<{ credential: AppCredential; rotated: boolean }> {
  const stored = await store.get();
  const username = appUserFor(s.role, s.generation);
  const keep = stored?.generation === s.generation && stored.username === username;
  const credential: AppCredential = keep
    ? (stored as AppCredential)
    : { username, password: newPassword(), generation: s.generation };
  await client.query("BEGIN");
  try {
    for (const sql of grantStatements(s, username, scramVerifier(credential.password)))
      await client.query(sql);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new JobError(`could not provision role ${s.role}: ${(err as Error).message}`);
  }
  if (!keep) await store.put(credential);
  return { credential, rotated: !keep };
}
