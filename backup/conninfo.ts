// Database connection settings from DATABASE_URL or the libpq variables, and the two ways they
// are handed on: to node-postgres as a config object, and to pg_dump/pg_restore as environment
// variables. The password never goes into a command line.
import { readFileSync } from "fs";
import type { ClientConfig } from "pg";
import { UsageError } from "./errors";

export interface ConnInfo {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  /** libpq sslmode; undefined leaves libpq's default (prefer). */
  readonly sslmode?: string;
  /** CA bundle for verify-ca / verify-full (for RDS, the region's certificate bundle). */
  readonly sslrootcert?: string;
}

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/**
 * Parses a PostgreSQL URL. The application's SQLAlchemy form `postgresql+asyncpg://` is accepted
 * as well as `postgres://` and `postgresql://`. `what` names the source in errors.
 */
export function parseDatabaseUrl(text: string, what: string): ConnInfo {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${what} is not a URL: expected postgresql://user:password@host:5432/database`,
    );
  }
  if (!/^postgres(ql)?(\+[a-z0-9]+)?:$/.test(url.protocol)) {
    throw new UsageError(`${what} must start with postgresql:// (got ${url.protocol}//)`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!url.hostname) throw new UsageError(`${what} has no host`);
  if (!database) throw new UsageError(`${what} names no database: add /<database> after the host`);
  if (!url.username)
    throw new UsageError(`${what} names no user: postgresql://<user>@host/database`);
  const sslmode = url.searchParams.get("sslmode") ?? undefined;
  if (sslmode !== undefined && !SSL_MODES.includes(sslmode)) {
    throw new UsageError(
      `${what} has an unknown sslmode ${JSON.stringify(sslmode)}: use one of ${SSL_MODES.join(", ")}`,
    );
  }
  return {
    sslrootcert: url.searchParams.get("sslrootcert") ?? undefined,
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
    sslmode,
  };
}

/** Connection from the environment: DATABASE_URL wins over the PG* variables. */
export function connInfoFromEnv(env: NodeJS.ProcessEnv): ConnInfo {
  if (env.DATABASE_URL) return parseDatabaseUrl(env.DATABASE_URL, "DATABASE_URL");
  const missing = ["PGHOST", "PGUSER", "PGDATABASE"].filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new UsageError(
      `no database given: set DATABASE_URL, or ${missing.join(", ")} (with PGPORT, PGPASSWORD)`,
    );
  }
  const port = env.PGPORT ? Number(env.PGPORT) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`PGPORT must be a port number (got ${JSON.stringify(env.PGPORT)})`);
  }
  return {
    host: env.PGHOST as string,
    port,
    user: env.PGUSER as string,
    password: env.PGPASSWORD || undefined,
    database: env.PGDATABASE as string,
    sslmode: env.PGSSLMODE || undefined,
    sslrootcert: env.PGSSLROOTCERT || undefined,
  };
}

export function withDatabase(conn: ConnInfo, database: string): ConnInfo {
  return { ...conn, database };
}

/**
 * node-postgres settings for one TLS attempt. libpq's `prefer` and `allow` try TLS and fall back
 * to plain (see `connect` in postgres.ts); `require` encrypts without checking the certificate,
 * `verify-ca` checks the chain, `verify-full` the chain and the host name.
 */
export function clientConfig(conn: ConnInfo, applicationName: string, tls: boolean): ClientConfig {
  const mode = conn.sslmode ?? "prefer";
  let ssl: ClientConfig["ssl"] = false;
  if (tls && mode !== "disable") {
    const verify = mode === "verify-ca" || mode === "verify-full";
    ssl = {
      rejectUnauthorized: verify,
      ...(verify && conn.sslrootcert ? { ca: readFileSync(conn.sslrootcert, "utf8") } : {}),
      ...(mode === "verify-ca" ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  return {
    host: conn.host,
    port: conn.port,
    user: conn.user,
    password: conn.password,
    database: conn.database,
    ssl,
    application_name: applicationName,
    connectionTimeoutMillis: 15_000,
  };
}

/**
 * Environment for libpq tools: the inherited one without any PG* or DATABASE_URL that could
 * contradict us, plus the connection. `--no-password` on the command line keeps them from asking.
 */
export function libpqEnv(
  conn: ConnInfo,
  base: NodeJS.ProcessEnv,
  applicationName: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (!/^PG/.test(k) && k !== "DATABASE_URL") env[k] = v;
  }
  env.PGHOST = conn.host;
  env.PGPORT = String(conn.port);
  env.PGUSER = conn.user;
  env.PGDATABASE = conn.database;
  env.PGAPPNAME = applicationName;
  if (conn.password !== undefined) env.PGPASSWORD = conn.password;
  if (conn.sslmode !== undefined) env.PGSSLMODE = conn.sslmode;
  if (conn.sslrootcert !== undefined) env.PGSSLROOTCERT = conn.sslrootcert;
  env.PGCONNECT_TIMEOUT = "15";
  return env;
}

/** `user@host:port/database`, for logs and manifests. */
export function describeConn(conn: ConnInfo): string {
  return `${conn.user}@${conn.host}:${conn.port}/${conn.database}`;
}
