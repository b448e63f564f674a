// npm run bench:backup — measures the backup job against its floor and against the
// application's old scripts, in one run on one machine, and prints the ratios.
//
//   (a) pg_dump -Fc with the job's compression into /dev/null: the floor
//   (b) the old way: plain pg_dump | gzip into a file, then sha256sum, then upload the file
//   (c) gad-backup backup to a file:// destination and to the local S3 API
//   (d) gad-backup restore, against pg_restore -j from a local file
//
// Targets: c/a <= 1.10 (file destination), peak RSS <= 256 MiB, restore <= 1.2x pg_restore -j.
// BENCH_DB_MB sets the database size (default 1100); BENCH_ROUNDS how often the comparisons with
// targets run, interleaved (default 3): shared machines are noisy, so medians are reported.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_COMPRESSION } from "../backup/options";
import { S3Storage, s3Client } from "../backup/storage-s3";
import { PgCluster, serverBinDir } from "../test/support/postgres";
import { AWS_TEST_ENV, Moto } from "../test/support/moto";
import { cliBundle, events, runCli } from "../test/support/cli";

// The emulator accepts any credentials; the old way's upload runs in this process.
Object.assign(process.env, AWS_TEST_ENV);
const TARGET_MB = Number(process.env.BENCH_DB_MB ?? 1100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const JOBS = 2;
const BUCKET = "gad-bench";

/** Realistic entropy: hashes, random words, jsonb, uuids and random bytes. */
const BATCH_SQL = (rows: number) => `
INSERT INTO events (created_at, user_ref, hash, note, payload, blob)
SELECT now() - (g || ' seconds')::interval, gen_random_uuid(), encode(digest(g::text || random()::text, 'sha256'), 'hex'),
  (SELECT string_agg(w, ' ') FROM (SELECT (ARRAY['policia','patrulla','operativo','zona','norte','sur','efectivo','informe','turno','urgente','vehiculo','tarea','control','servicio','ubicacion','reporte'])[1 + floor(random() * 16)::int] AS w FROM generate_series(1, 12 + (g % 20))) s),
  jsonb_build_object('lat', -34.6 + random(), 'lon', -58.4 + random(), 'status', (ARRAY['open','closed','pending'])[1 + g % 3], 'tags', jsonb_build_array(md5(g::text), g % 97)),
  gen_random_bytes(64 + (g % 64))
FROM generate_series(1, ${rows}) g`;

async function time<T>(what: string, fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  process.stderr.write(`… ${what}\n`);
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stderr.write(`  ${seconds.toFixed(1)} s\n`);
  return { seconds, value };
}

function sh(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command], { env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${command}: exit ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const bin = serverBinDir();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gad-bench-"));
  const [pg, moto] = await Promise.all([PgCluster.start(), Moto.start()]);
  try {
    await moto.createBucket(BUCKET);
    await pg.createDatabase("bench");
    await pg.sql(
      "bench",
      "CREATE EXTENSION pgcrypto; CREATE TABLE events (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, user_ref uuid NOT NULL, hash text NOT NULL, note text NOT NULL, payload jsonb NOT NULL, blob bytea NOT NULL)",
    );
    await time(`building a database of ${TARGET_MB} MB`, async () => {
      for (;;) {
        const [{ mb }] = await pg.sql("bench", "SELECT pg_database_size('bench') / 1048576 AS mb");
        if (Number(mb) >= TARGET_MB) return;
        await pg.sql("bench", BATCH_SQL(200_000));
      }
    });
    await pg.sql("bench", "VACUUM ANALYZE");
    const [{ mb: dbMb }] = await pg.sql(
      "bench",
      "SELECT pg_database_size('bench') / 1048576 AS mb",
    );
    const env = { ...process.env, ...pg.env("bench") };
    const pgDump = path.join(bin, "pg_dump");

    const levels: Record<string, { seconds: number; bytes: number }> = {};
    for (const z of ["0", "1", "6"]) {
      const r = await time(`pg_dump -Fc -Z${z} | wc -c`, () =>
        sh(`${pgDump} -Fc -Z${z} --no-password | wc -c`, env),
      );
      levels[z] = { seconds: r.seconds, bytes: Number(r.value) };
    }
    const oldFile = path.join(work, "old.sql.gz");
    const old = await time("(b) old way: pg_dump | gzip > file; sha256sum; upload", async () => {
      await sh(`${pgDump} --no-password | gzip > ${oldFile}`, env);
      await sh(`sha256sum ${oldFile}`, env);
      // `aws s3 cp` uploads in 8 MiB multipart parts; so does this.
      const client = s3Client({
        region: AWS_TEST_ENV.AWS_REGION,
        endpoint: moto.endpoint,
        maxAttempts: 3,
      });
      const storage = new S3Storage(client, BUCKET, "old", `s3://${BUCKET}/old`);
      const writer = await storage.createWriter(
        "bench.sql.gz",
        8 * 1024 * 1024,
        new AbortController().signal,
      );
      for await (const chunk of fs.createReadStream(oldFile, { highWaterMark: 1024 * 1024 }))
        await writer.write(chunk as Buffer);
      await writer.complete();
      client.destroy();
    });

    cliBundle();
    const fileDest = path.join(work, "dest");
    const s3Extra = { ...AWS_TEST_ENV, AWS_ENDPOINT_URL_S3: moto.endpoint };
    const jobEnv = { ...pg.env("bench"), BACKUP_PROGRESS_SECONDS: "60", BACKUP_TMPDIR: work };
    const job = async (
      args: string[],
      destination: string,
      event: string,
      extra: Record<string, string> = {},
    ) => {
      const r = await runCli(args, { ...jobEnv, BACKUP_DESTINATION: destination, ...extra });
      if (r.code !== 0) throw new Error(r.stderr);
      return Number(events(r).find((e) => e.event === event)?.peakRssBytes);
    };
    const toS3 = await time("(c) gad-backup backup → local S3 API", () =>
      job(["backup"], `s3://${BUCKET}/backups`, "backup.completed", s3Extra),
    );
    const fromS3 = await time(
      `(d) gad-backup restore --jobs ${JOBS} from S3 (download, verify, restore)`,
      () =>
        job(
          [
            "restore",
            "latest",
            "--target",
            pg.url("from_s3", null),
            "--create",
            "--jobs",
            String(JOBS),
          ],
          `s3://${BUCKET}/backups`,
          "restore.completed",
          s3Extra,
        ),
    );

    // The comparisons that have targets run ROUNDS times, interleaved; medians are reported.
    const floor: number[] = [];
    const toFile: number[] = [];
    const plain: number[] = [];
    const restore: number[] = [];
    let rss = Math.max(toS3.value, fromS3.value);
    for (let round = 1; round <= ROUNDS; round++) {
      floor.push(
        (
          await time(
            `[${round}/${ROUNDS}] (a) pg_dump -Fc -Z${DEFAULT_COMPRESSION} > /dev/null`,
            () => sh(`${pgDump} -Fc -Z${DEFAULT_COMPRESSION} --no-password > /dev/null`, env),
          )
        ).seconds,
      );
      fs.rmSync(fileDest, { recursive: true, force: true });
      const c = await time(`[${round}/${ROUNDS}] (c) gad-backup backup → file://`, () =>
        job(["backup"], `file://${fileDest}`, "backup.completed"),
      );
      toFile.push(c.seconds);
      const dumpFile = execFileSync("sh", ["-c", `find ${fileDest} -name '*.dump' | head -1`])
        .toString()
        .trim();
      await pg.createDatabase(`plain_${round}`);
      plain.push(
        (
          await time(`[${round}/${ROUNDS}] (d) pg_restore -j ${JOBS} from the local file`, () =>
            sh(
              `${path.join(bin, "pg_restore")} --no-password --exit-on-error -j ${JOBS} --no-owner -d plain_${round} ${dumpFile}`,
              env,
            ),
          )
        ).seconds,
      );
      const d = await time(
        `[${round}/${ROUNDS}] (d) gad-backup restore --jobs ${JOBS} from file:// (verify, restore)`,
        () =>
          job(
            [
              "restore",
              "latest",
              "--target",
              pg.url(`job_${round}`, null),
              "--create",
              "--jobs",
              String(JOBS),
            ],
            `file://${fileDest}`,
            "restore.completed",
          ),
      );
      restore.push(d.seconds);
      rss = Math.max(rss, c.value, d.value);
      await pg.sql("postgres", `DROP DATABASE plain_${round}`);
      await pg.sql("postgres", `DROP DATABASE job_${round}`);
    }
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const fmt = (xs: number[]) =>
      `${med(xs).toFixed(1)} s (runs: ${xs.map((x) => x.toFixed(1)).join(", ")})`;

    const MiB = 1024 * 1024;
    const rows = [
      ["database size", `${dbMb} MB`],
      ...Object.entries(levels).map(([z, l]) => [
        `pg_dump -Fc -Z${z} | wc -c`,
        `${l.seconds.toFixed(1)} s, ${(l.bytes / MiB).toFixed(0)} MiB`,
      ]),
      [`(a) floor: pg_dump -Fc -Z${DEFAULT_COMPRESSION} > /dev/null`, fmt(floor)],
      ["(b) old way (gzip file, sha256sum, upload)", `${old.seconds.toFixed(1)} s`],
      ["(c) backup → file://", fmt(toFile)],
      ["(c) backup → S3 API (moto)", `${toS3.seconds.toFixed(1)} s`],
      [`(d) pg_restore -j ${JOBS} from a local file`, fmt(plain)],
      [`(d) restore --jobs ${JOBS} from file://`, fmt(restore)],
      [`(d) restore --jobs ${JOBS} from S3 API (download first)`, `${fromS3.seconds.toFixed(1)} s`],
      ["c/a, file (target <= 1.10)", (med(toFile) / med(floor)).toFixed(2)],
      ["c/a, S3 API", (toS3.seconds / med(floor)).toFixed(2)],
      ["b/c (old way / ours to S3)", (old.seconds / toS3.seconds).toFixed(2)],
      ["restore / pg_restore -j, file (target <= 1.2)", (med(restore) / med(plain)).toFixed(2)],
      ["restore / pg_restore -j, S3 API", (fromS3.seconds / med(plain)).toFixed(2)],
      ["peak RSS of gad-backup (target <= 256 MiB)", `${(rss / MiB).toFixed(0)} MiB`],
      [
        "Z6 / Z1: time, size",
        `${(levels["6"].seconds / levels["1"].seconds).toFixed(2)}x, ${(levels["6"].bytes / levels["1"].bytes).toFixed(2)}x`,
      ],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`\ngad-backup benchmark (${os.cpus().length} cores, ${new Date().toISOString()})`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  } finally {
    pg.stop();
    moto.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
