// A throwaway PostgreSQL cluster for integration tests: its own data directory, its own
// loopback port, password authentication over TCP, stopped and removed when done.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { freePort } from "./net";

export const SUPERUSER = "postgres";
export const PASSWORD = "pw-Ünï-'\"-$HOME-secret";

/** Directory of initdb/pg_ctl: the newest installed major (Debian's layout), or PATH. */
export function serverBinDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = fs.existsSync(root)
    ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, "bin", "initdb")))
    : [];
  majors.sort((a, b) => Number(b) - Number(a));
  if (majors.length > 0) return path.join(root, majors[0], "bin");
  const found = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  if (found) return path.dirname(found);
  throw new Error(
    "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql",
  );
}

const isRoot = process.getuid?.() === 0;

/** Runs a server binary, as the postgres OS user when we are root (initdb refuses root). */
function asServerUser(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  static async start(): Promise<PgCluster> {
    const bin = serverBinDir();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gad-pg-"));
    if (isRoot) execFileSync("chown", ["postgres:", dir]);
    const port = await freePort();
    const pwfile = path.join(dir, "pwfile");
    fs.writeFileSync(pwfile, PASSWORD, { mode: 0o600 });
    if (isRoot) execFileSync("chown", ["postgres:", pwfile]);
    asServerUser(path.join(bin, "initdb"), [
      "-D",
      path.join(dir, "data"),
      "-U",
      SUPERUSER,
      `--pwfile=${pwfile}`,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "--no-sync",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
    ]);
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
    asServerUser(path.join(bin, "pg_ctl"), [
      "-D",
      path.join(dir, "data"),
      "-o",
      opts,
      "-l",
      path.join(dir, "log"),
      "-w",
      "start",
    ]);
    return new PgCluster(dir, port, bin);
  }

  url(database: string, password: string | null = PASSWORD): string {
    const auth = password === null ? SUPERUSER : `${SUPERUSER}:${encodeURIComponent(password)}`;
    return `postgresql://${auth}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  /** libpq variables for a database of this cluster. */
  env(database: string): Record<string, string> {
    return {
      PGHOST: "127.0.0.1",
      PGPORT: String(this.port),
      PGUSER: SUPERUSER,
      PGPASSWORD: PASSWORD,
      PGDATABASE: database,
      PGSSLMODE: "disable",
    };
  }

  async client(database = "postgres"): Promise<Client> {
    const c = new Client({
      host: "127.0.0.1",
      port: this.port,
      user: SUPERUSER,
      password: PASSWORD,
      database,
    });
    await c.connect();
    return c;
  }

  async sql(database: string, text: string): Promise<Record<string, unknown>[]> {
    const c = await this.client(database);
    try {
      const res = await c.query(text);
      return (Array.isArray(res) ? res[res.length - 1] : res).rows;
    } finally {
      await c.end();
    }
  }

  async createDatabase(name: string): Promise<void> {
    await this.sql("postgres", `CREATE DATABASE "${name}"`);
  }

  hasExtension(name: string): boolean {
    const share = path.join(
      path.dirname(this.bin),
      "..",
      "..",
      "..",
      "share",
      "postgresql",
      path.basename(path.dirname(this.bin)),
      "extension",
    );
    return fs.existsSync(path.join(share, `${name}.control`));
  }

  /** A plain-text dump for comparisons, without the per-run \restrict keys. */
  plainDump(database: string): string {
    const out = execFileSync(path.join(this.bin, "pg_dump"), ["--no-password", "-d", database], {
      env: { ...process.env, ...this.env(database) },
      maxBuffer: 512 * 1024 * 1024,
    }).toString("utf8");
    return out
      .split("\n")
      .filter((l) => !/^\\(un)?restrict /.test(l))
      .join("\n");
  }

  stop(): void {
    try {
      asServerUser(path.join(this.bin, "pg_ctl"), [
        "-D",
        path.join(this.dir, "data"),
        "-m",
        "immediate",
        "stop",
      ]);
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
