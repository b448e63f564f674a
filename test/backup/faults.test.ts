// Every way a backup can fail must end the same way: a non-zero exit, one clear line, no
// manifest, no complete-looking object, no multipart upload left open.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { PASSWORD, PgCluster, serverBinDir } from "../support/postgres";
import { AWS_TEST_ENV, Moto } from "../support/moto";
import { FaultProxy } from "../support/fault-proxy";
import { runCli, startCli, verdict } from "../support/cli";
import { freePort, waitFor } from "../support/net";

const BUCKET = "gad-fault-backups";

/** A PG_BIN_DIR whose pg_dump reports `version` and prints `output` (or runs the real one). */
function fakeBinDir(version: string, output?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gad-fake-bin-"));
  const real = path.join(serverBinDir(), "pg_dump");
  const body = output === undefined ? `exec ${real} "$@"` : `printf '${output}'; exit 0`;
  const script = `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) ${version}"; exit 0; fi\n${body}\n`;
  fs.writeFileSync(path.join(dir, "pg_dump"), script, { mode: 0o755 });
  fs.symlinkSync(path.join(serverBinDir(), "pg_restore"), path.join(dir, "pg_restore"));
  return dir;
}

describe("gad-backup failures", function () {
  this.timeout(120_000);
  let pg: PgCluster;
  let moto: Moto;
  let proxy: FaultProxy;

  before(async () => {
    [pg, moto] = await Promise.all([PgCluster.start(), Moto.start()]);
    proxy = await FaultProxy.start(moto.endpoint);
    await moto.createBucket(BUCKET);
    await pg.createDatabase("grupogad");
    // About 20 MB of incompressible rows: several 5 MiB parts.
    await pg.sql(
      "grupogad",
      "CREATE EXTENSION pgcrypto; CREATE TABLE blobs (id int PRIMARY KEY, data bytea); INSERT INTO blobs SELECT g, gen_random_bytes(1000) FROM generate_series(1, 20000) g",
    );
  });
  beforeEach(() => proxy.reset());
  after(async () => {
    await proxy?.stop();
    pg?.stop();
    moto?.stop();
  });

  const env = (extra: Record<string, string> = {}) => ({
    ...pg.env("grupogad"),
    ...AWS_TEST_ENV,
    AWS_ENDPOINT_URL_S3: proxy.endpoint,
    BACKUP_DESTINATION: `s3://${BUCKET}/backups`,
    BACKUP_PART_SIZE_MB: "5",
    BACKUP_S3_MAX_ATTEMPTS: "3",
    ...extra,
  });

  /** Nothing under `prefix`, and no multipart upload open anywhere in the bucket. */
  async function assertNothingStored(prefix: string): Promise<void> {
    const { keys, openUploads } = await moto.contents(BUCKET);
    assert.deepEqual(
      keys.filter((k) => k.startsWith(`${prefix}/`)),
      [],
      "no object may look like a backup",
    );
    assert.equal(openUploads, 0, "no multipart upload may stay open");
  }

  const dest = (prefix: string) => ({ BACKUP_DESTINATION: `s3://${BUCKET}/${prefix}` });

  /** Holds an exclusive lock on the table, so pg_dump waits inside its run. */
  async function lockTable(): Promise<Client> {
    const c = await pg.client("grupogad");
    await c.query("BEGIN; LOCK TABLE blobs IN ACCESS EXCLUSIVE MODE");
    return c;
  }

  it("pg_dump's backend terminated mid-stream: exit 1, upload aborted, no manifest", async () => {
    proxy.faults.delayUploadPartsMs = 1500;
    const running = startCli(["backup"], env(dest("terminated")));
    await waitFor(() => proxy.uploadPartRequests >= 1, 30_000, "the first part upload");
    await pg.sql(
      "postgres",
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gad-backup:pg_dump'",
    );
    const result = await running.result;
    assert.equal(result.code, 1, result.stderr);
    assert.match(verdict(result), /^gad-backup backup failed: pg_dump failed \(exit 1\): /);
    assert.equal(
      JSON.parse(result.stdout.trim()).BackupSucceeded,
      0,
      "a failed run is a metric too",
    );
    await assertNothingStored("terminated");
  });

  it("S3 answers 500 to every UploadPart: retries, then aborts", async () => {
    proxy.faults.failUploadParts = Infinity;
    const result = await runCli(["backup"], env(dest("s3-down")));
    assert.equal(result.code, 1);
    assert.match(verdict(result), /upload of part 1 failed: .*\(HTTP 500, 3 attempts\)/);
    assert.equal(proxy.failedRequests, 3);
    await assertNothingStored("s3-down");
  });

  it("S3 failing twice is retried and the backup completes", async () => {
    proxy.faults.failUploadParts = 2;
    const result = await runCli(
      ["backup"],
      env({ BACKUP_S3_MAX_ATTEMPTS: "5", ...dest("s3-flaky") }),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(proxy.failedRequests, 2);
    const { keys, openUploads } = await moto.contents(BUCKET);
    assert.equal(openUploads, 0);
    assert.equal(
      keys.filter((k) => k.startsWith("s3-flaky/") && k.endsWith(".manifest.json")).length,
      1,
    );
  });

  it("unreachable database: one line naming the server, nothing stored", async () => {
    const result = await runCli(
      ["backup"],
      env({ PGPORT: String(await freePort()), ...dest("unreachable") }),
    );
    assert.equal(result.code, 1);
    assert.match(
      verdict(result),
      /^gad-backup backup failed: cannot connect to postgres@127\.0\.0\.1:\d+\/grupogad: connection refused/,
    );
    await assertNothingStored("unreachable");
  });

  it("wrong password: refused, and the password is not echoed", async () => {
    const wrong = "Wr0ng-p4ss-SHOULD-NOT-APPEAR";
    const result = await runCli(["backup"], env({ PGPASSWORD: wrong, ...dest("wrong") }));
    assert.equal(result.code, 1);
    assert.match(verdict(result), /password authentication failed for user "postgres"/);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(wrong));
    await assertNothingStored("wrong");
  });

  it("timeout: pg_dump stuck on a lock is stopped and the upload aborted", async () => {
    const lock = await lockTable();
    try {
      const result = await runCli(
        ["backup"],
        env({ BACKUP_TIMEOUT_SECONDS: "2", ...dest("timeout") }),
      );
      assert.equal(result.code, 1);
      assert.equal(
        verdict(result),
        "gad-backup backup failed: timed out after 2 s (BACKUP_TIMEOUT_SECONDS)",
      );
    } finally {
      await lock.end();
    }
    await assertNothingStored("timeout");
  });

  it("SIGTERM: exit 143, upload aborted; no password in any command line meanwhile", async () => {
    const lock = await lockTable();
    try {
      const running = startCli(["backup"], env(dest("sigterm")));
      await waitFor(
        () => running.stderrSoFar().includes('"backup.started"'),
        30_000,
        "the backup to start",
      );
      await waitFor(
        async () =>
          (
            await pg.sql(
              "postgres",
              "SELECT 1 FROM pg_stat_activity WHERE application_name = 'gad-backup:pg_dump'",
            )
          ).length > 0,
        10_000,
        "pg_dump to connect",
      );
      for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        let cmdline = "";
        try {
          cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          continue;
        }
        assert.ok(
          !cmdline.includes(PASSWORD),
          `process ${pid} has the password in its command line`,
        );
      }
      running.child.kill("SIGTERM");
      const result = await running.result;
      assert.equal(result.code, 143, result.stderr);
      assert.equal(verdict(result), "gad-backup backup failed: stopped by SIGTERM");
    } finally {
      await lock.end();
    }
    await assertNothingStored("sigterm");
  });

  it("pg_dump older than the server: fails before dumping, naming both versions", async () => {
    const bin = fakeBinDir("14.10");
    const result = await runCli(["backup"], env({ PG_BIN_DIR: bin, ...dest("old") }));
    assert.equal(result.code, 1);
    assert.match(
      verdict(result),
      /pg_dump 14\.10 is older than the server \(PostgreSQL 15\.\d+.*\): use pg_dump 15 or newer/,
    );
    await assertNothingStored("old");
  });

  for (const [what, output, message] of [
    ["a zero-byte dump", "", /refusing to store the dump: pg_dump wrote nothing/],
    [
      "a header-only dump",
      "PGDMP\\001\\016\\000\\004\\010\\001",
      /refusing to store the dump: the archive is only 11 bytes: a header without contents/,
    ],
    [
      "output that is no archive",
      "SET statement_timeout = 0;\\n",
      /refusing to store the dump: the output is not a pg_dump archive/,
    ],
  ] as const) {
    it(`${what} is refused (S3 and directory): nothing is left`, async () => {
      const bin = fakeBinDir("15.18", output);
      const s3 = await runCli(["backup"], env({ PG_BIN_DIR: bin, ...dest("refused") }));
      assert.equal(s3.code, 1);
      assert.match(verdict(s3), message);
      await assertNothingStored("refused");
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gad-fault-file-"));
      const file = await runCli(
        ["backup"],
        env({ PG_BIN_DIR: bin, BACKUP_DESTINATION: `file://${dir}` }),
      );
      assert.equal(file.code, 1);
      assert.deepEqual(
        fs
          .readdirSync(dir, { recursive: true })
          .map(String)
          .filter((f) => f.includes(".")),
        [],
      );
    });
  }

  it("usage errors exit 2 and name the variable", async () => {
    const noDest = await runCli(["backup"], { ...pg.env("grupogad") });
    assert.equal(noDest.code, 2);
    assert.match(verdict(noDest), /no destination: set BACKUP_DESTINATION or --destination/);
    const badZ = await runCli(["backup"], env({ BACKUP_COMPRESSION: "11" }));
    assert.equal(badZ.code, 2);
    assert.match(verdict(badZ), /BACKUP_COMPRESSION must be 0-9 .* \(got "11"\)/);
    const noRegion = await runCli(["list"], { BACKUP_DESTINATION: `s3://${BUCKET}/x` });
    assert.equal(noRegion.code, 2);
    assert.match(verdict(noRegion), /AWS_REGION is not set/);
  });
});
