// Real PostgreSQL, real S3 API: back up tricky content, restore it, compare full dumps.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PgCluster } from "../support/postgres";
import { AWS_TEST_ENV, Moto } from "../support/moto";
import { events, runCli, verdict } from "../support/cli";
import { ROOT } from "../support/stack-files";
import { parseManifest } from "../../backup/manifest";

const BUCKET = "gad-test-backups";

describe("gad-backup round trip (PostgreSQL + S3 API)", function () {
  this.timeout(180_000);
  let pg: PgCluster;
  let moto: Moto;
  let withPostgis = false;

  before(async () => {
    [pg, moto] = await Promise.all([PgCluster.start(), Moto.start()]);
    await moto.createBucket(BUCKET);
    await pg.createDatabase("grupogad");
    await pg.sql("grupogad", fs.readFileSync(path.join(ROOT, "test/fixtures/tricky.sql"), "utf8"));
    withPostgis = pg.hasExtension("postgis");
    if (withPostgis)
      await pg.sql(
        "grupogad",
        fs.readFileSync(path.join(ROOT, "test/fixtures/postgis.sql"), "utf8"),
      );
    await pg.createDatabase("empty");
  });
  after(() => {
    pg?.stop();
    moto?.stop();
  });

  const s3Env = (database: string) => ({
    ...pg.env(database),
    ...AWS_TEST_ENV,
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    BACKUP_DESTINATION: `s3://${BUCKET}/backups`,
    BACKUP_STACK: "test",
  });

  it("backs up to S3, writes the manifest last, and restores an identical database", async () => {
    const run = await runCli(["backup"], s3Env("grupogad"));
    assert.equal(run.code, 0, run.stderr);
    const { keys, openUploads } = await moto.contents(BUCKET);
    assert.equal(openUploads, 0);
    assert.equal(keys.length, 2, keys.join(", "));
    const [dump, manifestKey] = keys;
    assert.match(dump, /^backups\/grupogad\/\d{4}\/\d{2}\/\d{2}\/grupogad-\d{8}T\d{6}Z\.dump$/);
    assert.equal(manifestKey, `${dump}.manifest.json`);

    const listed = await runCli(["list", "--json"], s3Env("grupogad"));
    assert.equal(listed.code, 0, listed.stderr);
    const [item] = JSON.parse(listed.stdout);
    assert.equal(item.key, dump.replace(/^backups\//, ""));
    assert.ok(item.versionId, "the manifest names the object version it describes");

    const restored = await runCli(
      ["restore", "latest", "--target", pg.url("restored", null), "--create", "--jobs", "2"],
      s3Env("grupogad"),
    );
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stdout,
      /^restored grupogad\/.* into postgres@127\.0\.0\.1:\d+\/restored in/m,
    );
    assert.equal(pg.plainDump("restored"), pg.plainDump("grupogad"));
    if (withPostgis) {
      const [row] = await pg.sql(
        "restored",
        "SELECT ST_AsText(geom) AS wkt FROM app.places WHERE id = 1",
      );
      assert.equal(row.wkt, "POINT(-58.39 -34.61)");
    }
  });

  it("backs up into a bucket under Object Lock (production's), and verifies it", async () => {
    await moto.createLockedBucket("gad-test-locked", "GOVERNANCE", 30);
    const env = { ...s3Env("grupogad"), BACKUP_DESTINATION: "s3://gad-test-locked/backups" };
    const run = await runCli(["backup"], { ...env, BACKUP_PART_SIZE_MB: "5" });
    assert.equal(run.code, 0, run.stderr);
    const { keys, openUploads } = await moto.contents("gad-test-locked");
    assert.equal(openUploads, 0);
    assert.equal(keys.length, 2, keys.join(", "));
    const verified = await runCli(["verify", "latest"], env);
    assert.equal(verified.code, 0, verified.stderr);
  });

  it("records what a drill and an operator need in the manifest, and never the password", async () => {
    const listed = JSON.parse((await runCli(["list", "--json"], s3Env("grupogad"))).stdout);
    const s3 = moto.client();
    const { GetObjectCommand } = await import("@aws-sdk/client-s3");
    const body = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: `backups/${listed[0].key}.manifest.json` }),
    );
    const raw = await body.Body!.transformToString();
    s3.destroy();
    const manifest = parseManifest(raw, "test");
    assert.equal(manifest.database, "grupogad");
    assert.equal(manifest.host, "127.0.0.1");
    assert.equal(manifest.user, "postgres");
    assert.equal(manifest.compression, "1");
    assert.equal(manifest.stack, "test");
    assert.match(manifest.serverVersion, /^15\./);
    assert.deepEqual(
      manifest.tables.find((t) => t.schema === "app" && t.name === "everything")?.rows,
      503,
    );
    assert.equal(manifest.tables.find((t) => t.schema === "Ünïcode Schema")?.rows, 50);
    assert.ok(manifest.extensions.some((e) => e.name === "pgcrypto"));
    assert.ok(
      !manifest.tables.some((t) => t.name === "spatial_ref_sys"),
      "extension tables are not application data",
    );
    assert.ok(!raw.includes(pg.env("x").PGPASSWORD), "the manifest holds no password");
  });

  it("verifies a backup end to end", async () => {
    const run = await runCli(["verify", "latest"], s3Env("grupogad"));
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^verified grupogad\/.*: \d+ bytes, sha256 [0-9a-f]{64}, archive readable by pg_restore$/m,
    );
  });

  it("drills the latest backup into a scratch database and drops it", async () => {
    const run = await runCli(["drill"], { ...s3Env("postgres"), BACKUP_DATABASE: "grupogad" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /drill passed: grupogad\/.* tables match the manifest/);
    const emf = JSON.parse(
      run.stdout.split("\n").find((l) => l.includes("DrillSucceeded")) as string,
    );
    assert.equal(emf.DrillSucceeded, 1);
    const left = await pg.sql(
      "postgres",
      "SELECT datname FROM pg_database WHERE datname LIKE 'gad_drill_%'",
    );
    assert.deepEqual(left, []);
  });

  it("backs up an empty database into a valid backup that restores", async () => {
    const run = await runCli(["backup"], s3Env("empty"));
    assert.equal(run.code, 0, run.stderr);
    const restored = await runCli(
      [
        "restore",
        "latest",
        "--database",
        "empty",
        "--target",
        pg.url("empty_copy", null),
        "--create",
      ],
      s3Env("empty"),
    );
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(pg.plainDump("empty_copy"), pg.plainDump("empty"));
  });

  it("writes to a local directory with the same layout, and restores from it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gad-file-dest-"));
    try {
      const env = { ...pg.env("grupogad"), BACKUP_DESTINATION: `file://${dir}` };
      const run = await runCli(["backup"], env);
      assert.equal(run.code, 0, run.stderr);
      const files = fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.includes("."));
      assert.equal(files.length, 2, files.join(", "));
      assert.ok(files.every((f) => !f.endsWith(".partial")));
      const restored = await runCli(
        ["restore", "latest", "--target", pg.url("from_file", null), "--create"],
        env,
      );
      assert.equal(restored.code, 0, restored.stderr);
      assert.equal(pg.plainDump("from_file"), pg.plainDump("grupogad"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("logs progress as JSON and ends with one EMF metrics line", async () => {
    const run = await runCli(["backup"], { ...s3Env("grupogad"), BACKUP_PROGRESS_SECONDS: "0.05" });
    assert.equal(run.code, 0, run.stderr);
    const names = events(run).map((e) => e.event);
    assert.equal(names[0], "backup.started");
    assert.equal(names[names.length - 1], "backup.completed");
    const emf = JSON.parse(run.stdout.trim());
    assert.deepEqual(emf._aws.CloudWatchMetrics[0].Dimensions, [["database", "stack"]]);
    assert.equal(emf._aws.CloudWatchMetrics[0].Namespace, "GAD/Backups");
    assert.equal(emf.BackupSucceeded, 1);
    assert.ok(emf.BackupBytes > 0 && emf.BackupSeconds > 0);
    assert.equal(verdict(run), "");
  });
});
