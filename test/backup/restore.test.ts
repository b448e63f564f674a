// verify, restore, drill and list against damaged and unusual storage contents.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { PgCluster, serverBinDir } from "../support/postgres";
import { AWS_TEST_ENV, Moto } from "../support/moto";
import { runCli, verdict } from "../support/cli";

const BUCKET = "gad-restore-tests";

describe("gad-backup verify, restore, drill and list", function () {
  this.timeout(120_000);
  let pg: PgCluster;
  let moto: Moto;
  let dir: string;
  let dumpFile: string;
  let dumpKey: string;

  before(async () => {
    [pg, moto] = await Promise.all([PgCluster.start(), Moto.start()]);
    await moto.createBucket(BUCKET);
    await pg.createDatabase("grupogad");
    await pg.sql(
      "grupogad",
      "CREATE TABLE people (id int PRIMARY KEY, name text); INSERT INTO people SELECT g, 'person ' || g FROM generate_series(1, 5000) g",
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gad-restore-"));
    const run = await runCli(["backup"], fileEnv());
    assert.equal(run.code, 0, run.stderr);
    dumpKey = JSON.parse((await runCli(["list", "--json"], fileEnv())).stdout)[0].key;
    dumpFile = path.join(dir, dumpKey);
  });
  after(() => {
    pg?.stop();
    moto?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function fileEnv(extra: Record<string, string> = {}) {
    return { ...pg.env("grupogad"), BACKUP_DESTINATION: `file://${dir}`, ...extra };
  }
  const s3Env = (prefix: string) => ({
    ...pg.env("grupogad"),
    ...AWS_TEST_ENV,
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    BACKUP_DESTINATION: `s3://${BUCKET}/${prefix}`,
  });

  /** Runs `fn` with the stored dump altered by `damage`, then puts the original back. */
  async function withDamagedDump(
    damage: (bytes: Buffer) => Buffer,
    fn: () => Promise<void>,
  ): Promise<void> {
    const original = fs.readFileSync(dumpFile);
    fs.writeFileSync(dumpFile, damage(Buffer.from(original)));
    try {
      await fn();
    } finally {
      fs.writeFileSync(dumpFile, original);
    }
  }

  async function databaseExists(name: string): Promise<boolean> {
    return (
      (await pg.sql("postgres", `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length > 0
    );
  }

  for (const [what, damage, reason] of [
    [
      "one flipped byte",
      (b: Buffer) => ((b[Math.floor(b.length / 2)] ^= 0x01), b),
      /has SHA-256 [0-9a-f]{64}, its manifest says [0-9a-f]{64}: the dump is corrupt/,
    ],
    [
      "a truncated dump",
      (b: Buffer) => b.subarray(0, b.length - 100),
      /is \d+ bytes, its manifest says \d+: the dump is truncated or altered/,
    ],
  ] as const) {
    it(`${what}: verify and restore fail before touching the target`, async () => {
      await withDamagedDump(damage, async () => {
        const v = await runCli(["verify", "latest"], fileEnv());
        assert.equal(v.code, 1);
        assert.match(verdict(v), reason);
        const r = await runCli(
          ["restore", "latest", "--target", pg.url("never_created", null), "--create"],
          fileEnv(),
        );
        assert.equal(r.code, 1);
        assert.match(verdict(r), reason);
        assert.match(verdict(r), /nothing was restored$/);
        assert.equal(
          await databaseExists("never_created"),
          false,
          "the target must not be created",
        );
      });
    });
  }

  it("restore refuses a non-empty target without --force, and replaces its objects with it", async () => {
    await pg.createDatabase("busy");
    await pg.sql(
      "busy",
      "CREATE TABLE people (id int PRIMARY KEY, name text); INSERT INTO people VALUES (1, 'stale'); CREATE TABLE keep_me (x int)",
    );
    const refused = await runCli(
      ["restore", "latest", "--target", pg.url("busy", null)],
      fileEnv(),
    );
    assert.equal(refused.code, 1);
    assert.match(
      verdict(refused),
      /target database busy is not empty \(\d+ objects\): restore into a new database with --create, or add --force/,
    );
    assert.deepEqual(
      await pg.sql("busy", "SELECT name FROM people"),
      [{ name: "stale" }],
      "refusal leaves the target as it was",
    );

    const forced = await runCli(
      ["restore", "latest", "--target", pg.url("busy", null), "--force"],
      fileEnv(),
    );
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(
      await pg.sql("busy", "SELECT count(*)::int AS n, min(name) AS first FROM people"),
      [{ n: 5000, first: "person 1" }],
    );
  });

  it("restore into a database that does not exist asks for --create", async () => {
    const r = await runCli(["restore", "latest", "--target", pg.url("absent", null)], fileEnv());
    assert.equal(r.code, 1);
    assert.match(verdict(r), /target database absent does not exist on 127\.0\.0\.1: add --create/);
  });

  it("restore needs --target, and a key that is a backup", async () => {
    const noTarget = await runCli(["restore", "latest"], fileEnv());
    assert.equal(noTarget.code, 2);
    assert.match(verdict(noTarget), /restore needs --target/);
    const orphan = "grupogad/2026/01/01/grupogad-20260101T010000Z.dump";
    fs.mkdirSync(path.join(dir, "grupogad/2026/01/01"), { recursive: true });
    fs.writeFileSync(path.join(dir, orphan), "PGDMP orphan without manifest");
    try {
      const v = await runCli(["verify", orphan], fileEnv());
      assert.equal(v.code, 1);
      assert.match(verdict(v), /has no manifest in file:\/\/.*: it is not a complete backup/);
      const listed = JSON.parse((await runCli(["list", "--json"], fileEnv())).stdout);
      assert.ok(
        !listed.some((b: { key: string }) => b.key === orphan),
        "a dump without manifest is never listed",
      );
    } finally {
      fs.rmSync(path.join(dir, "grupogad/2026/01"), { recursive: true, force: true });
    }
  });

  it("pg_restore older than the archive's pg_dump: fails before downloading", async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "gad-old-restore-"));
    fs.writeFileSync(
      path.join(bin, "pg_restore"),
      '#!/bin/sh\necho "pg_restore (PostgreSQL) 14.2"\n',
      { mode: 0o755 },
    );
    const r = await runCli(
      ["restore", "latest", "--target", pg.url("old_client", null), "--create"],
      fileEnv({ PG_BIN_DIR: bin }),
    );
    assert.equal(r.code, 1);
    assert.match(
      verdict(r),
      /pg_restore 14\.2 is older than the archive \(made by pg_dump 15\.\d+\): use pg_restore 15 or newer/,
    );
    assert.equal(await databaseExists("old_client"), false);
  });

  it("drill fails on a difference from the manifest, and still drops its scratch database", async () => {
    const manifestFile = `${dumpFile}.manifest.json`;
    const original = fs.readFileSync(manifestFile, "utf8");
    const tampered = JSON.parse(original);
    tampered.tables[0].rows += 1;
    fs.writeFileSync(manifestFile, JSON.stringify(tampered));
    try {
      const r = await runCli(["drill", "--target", pg.url("postgres", null)], fileEnv());
      assert.equal(r.code, 1);
      assert.match(
        verdict(r),
        /drill of grupogad\/.* found 1 difference\(s\): public\.people has 5000 rows, the manifest says 5001/,
      );
      assert.equal(JSON.parse(r.stdout.trim().split("\n").pop() as string).DrillSucceeded, 0);
    } finally {
      fs.writeFileSync(manifestFile, original);
    }
    assert.deepEqual(
      await pg.sql("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'gad_drill_%'"),
      [],
    );
  });

  it("S3: verify and restore read the version the manifest names, not whatever the key holds now", async () => {
    const env = s3Env("pinned");
    assert.equal((await runCli(["backup"], env)).code, 0);
    const [item] = JSON.parse((await runCli(["list", "--json"], env)).stdout);
    const s3 = moto.client();
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `pinned/${item.key}`, Body: "overwritten" }),
    );
    s3.destroy();
    const v = await runCli(["verify", item.key], env);
    assert.equal(v.code, 0, v.stderr);
  });

  it("list is complete past 1,000 objects, newest first", async () => {
    const env = s3Env("many");
    assert.equal((await runCli(["backup"], env)).code, 0);
    const [real] = JSON.parse((await runCli(["list", "--json"], env)).stdout);
    const s3 = moto.client();
    const manifest = JSON.parse(
      await (
        await s3.send(
          new GetObjectCommand({ Bucket: BUCKET, Key: `many/${real.key}.manifest.json` }),
        )
      ).Body!.transformToString(),
    );
    const copies = 1_050;
    const keys = Array.from({ length: copies }, (_, i) => {
      const at = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000);
      const stamp = at
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}Z$/, "Z");
      const d = at.toISOString();
      return `grupogad/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/grupogad-${stamp}.dump`;
    });
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys.slice(i, i + 50).map((key) =>
          s3.send(
            new PutObjectCommand({
              Bucket: BUCKET,
              Key: `many/${key}.manifest.json`,
              Body: JSON.stringify({ ...manifest, object: { ...manifest.object, key } }),
            }),
          ),
        ),
      );
    }
    s3.destroy();
    const listed = await runCli(["list", "--json"], env);
    assert.equal(listed.code, 0, listed.stderr);
    const items = JSON.parse(listed.stdout);
    assert.equal(items.length, copies + 1);
    assert.equal(items[0].key, real.key, "the newest first");
    assert.equal(items[items.length - 1].key, keys[0], "the oldest last");
    const table = await runCli(["list"], env);
    const lines = table.stdout.trim().split("\n");
    assert.match(lines[0], /^KEY\s+SIZE\s+AGE\s+SHA256$/);
    assert.equal(lines.length, copies + 2);
  });

  it("finds the server binaries it tests with", () =>
    assert.ok(fs.existsSync(path.join(serverBinDir(), "pg_ctl"))));
});
