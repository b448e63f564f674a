// What the job asks PostgreSQL directly (through node-postgres, never a command line with a
// password): versions and sizes, extensions and tables, row counts, and database creation.
import { Client } from "pg";
import { ConnInfo, clientConfig, describeConn } from "./conninfo";
import { JobError } from "./errors";
import type { Extension, TableRows } from "./manifest";

export const APPLICATION_NAME = "gad-backup";

/** Connects like libpq would: `prefer`/`allow` (and no sslmode) try TLS, then plain. */
export async function connect(conn: ConnInfo, applicationName = APPLICATION_NAME): Promise<Client> {
  const mode = conn.sslmode ?? "prefer";
  const attempts =
    mode === "disable" ? [false] : mode === "prefer" || mode === "allow" ? [true, false] : [true];
  let last: unknown;
  for (const tls of attempts) {
    const client = new Client(clientConfig(conn, applicationName, tls));
    // An idle client whose server goes away emits 'error'; the failing query reports it.
    client.on("error", () => undefined);
    try {
      await client.connect();
      return client;
    } catch (err) {
      last = err;
      await client.end().catch(() => undefined);
      if (!/does not support SSL/i.test((err as Error).message ?? "")) break;
    }
  }
  throw new JobError(`cannot connect to ${describeConn(conn)}: ${describePgError(last)}`);
}

export function describePgError(err: unknown): string {
  const e = err as { message?: string; code?: string };
  if (e?.code === "ECONNREFUSED")
    return "connection refused (is the server running and reachable?)";
  if (e?.code === "ENOTFOUND") return "host not found";
  return e?.message ?? String(err);
}

export interface ServerInfo {
  readonly version: string;
  readonly versionNum: number;
  readonly databaseBytes: number;
}

export async function serverInfo(client: Client): Promise<ServerInfo> {
  const { rows } = await client.query(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num')::int AS num, pg_database_size(current_database())::bigint AS bytes",
  );
  return {
    version: rows[0].version,
    versionNum: rows[0].num,
    databaseBytes: Number(rows[0].bytes),
  };
}

export async function extensions(client: Client): Promise<Extension[]> {
  const { rows } = await client.query(
    "SELECT extname AS name, extversion AS version FROM pg_extension ORDER BY extname",
  );
  return rows;
}

const USER_TABLES = `
  SELECT n.nspname AS schema, c.relname AS name, c.reltuples::bigint AS estimated
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY 1, 2`;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Tables with their row estimates and, when `exact`, exact counts. Tables of extensions (such as
 * PostGIS's spatial_ref_sys) are not the application's data and are left out.
 */
export async function tableRows(client: Client, exact: boolean): Promise<TableRows[]> {
  const { rows } = await client.query(USER_TABLES);
  const out: TableRows[] = [];
  for (const t of rows) {
    let count: number | null = null;
    if (exact) {
      const res = await client.query(
        `SELECT count(*)::bigint AS n FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
      );
      count = Number(res.rows[0].n);
    }
    out.push({ schema: t.schema, name: t.name, rows: count, estimatedRows: Number(t.estimated) });
  }
  return out;
}

/** Objects that make a database "not empty" for a restore: anything not owned by an extension. */
export async function userObjectCount(client: Client): Promise<number> {
  const { rows } = await client.query(`
    SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`);
  return rows[0].n;
}

export async function databaseExists(client: Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  return (rowCount ?? 0) > 0;
}

export async function createDatabase(client: Client, name: string): Promise<void> {
  await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
}

/** Drops a database even while sessions are connected to it (PostgreSQL 13+). */
export async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

export async function exactCount(
  client: Client,
  schema: string,
  table: string,
): Promise<number | null> {
  const exists = await client.query("SELECT to_regclass($1) IS NOT NULL AS ok", [
    `${quoteIdent(schema)}.${quoteIdent(table)}`,
  ]);
  if (!exists.rows[0].ok) return null;
  const res = await client.query(
    `SELECT count(*)::bigint AS n FROM ${quoteIdent(schema)}.${quoteIdent(table)}`,
  );
  return Number(res.rows[0].n);
}
