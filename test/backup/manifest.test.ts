import { strict as assert } from "assert";
import { Manifest, ManifestError, parseManifest, renderManifest } from "../../backup/manifest";
import { compareRestored } from "../../backup/commands/drill";
import { compareWithManifest } from "../../backup/archive";
import { chooseDatabase } from "../../backup/catalog";
import { redact, oneLine } from "../../backup/errors";

export const SAMPLE: Manifest = {
  format: "gad-backup-manifest",
  formatVersion: 1,
  jobVersion: "0.1.0",
  database: "grupogad",
  host: "db.internal",
  port: 5432,
  user: "gad",
  serverVersion: "15.18",
  serverVersionNum: 150018,
  pgDumpVersion: "15.18",
  startedAt: "2026-11-28T01:00:00.000Z",
  finishedAt: "2026-11-28T01:00:10.000Z",
  durationSeconds: 10,
  sizeBytes: 1000,
  sha256: "a".repeat(64),
  compression: "1",
  object: {
    key: "grupogad/2026/11/28/grupogad-20261128T010000Z.dump",
    destination: "s3://b/backups",
    versionId: "v1",
    parts: 1,
    partSizeBytes: 8388608,
  },
  stack: "production",
  extensions: [{ name: "postgis", version: "3.3.2" }],
  tables: [
    { schema: "public", name: "users", rows: 10, estimatedRows: 9 },
    { schema: "public", name: "events", rows: null, estimatedRows: 1e6 },
  ],
};

describe("backup manifest", () => {
  it("round-trips", () => assert.deepEqual(parseManifest(renderManifest(SAMPLE), "m"), SAMPLE));

  for (const [what, change, message] of [
    ["not JSON", () => "{", /manifest m is not valid JSON/],
    [
      "another format",
      (m: Record<string, unknown>) => ({ ...m, format: "x" }),
      /invalid or missing format/,
    ],
    [
      "a newer format version",
      (m: Record<string, unknown>) => ({ ...m, formatVersion: 2 }),
      /format version 2; this job reads version 1/,
    ],
    [
      "a short SHA-256",
      (m: Record<string, unknown>) => ({ ...m, sha256: "abc" }),
      /invalid or missing sha256/,
    ],
    [
      "a negative size",
      (m: Record<string, unknown>) => ({ ...m, sizeBytes: -1 }),
      /invalid or missing sizeBytes/,
    ],
    [
      "no object key",
      (m: Record<string, unknown>) => ({ ...m, object: { ...SAMPLE.object, key: 5 } }),
      /invalid or missing object.key/,
    ],
    [
      "a table without rows",
      (m: Record<string, unknown>) => ({ ...m, tables: [{ schema: "s", name: "t" }] }),
      /invalid or missing tables/,
    ],
  ] as const) {
    it(`rejects ${what}`, () => {
      const text =
        typeof change === "function" && what === "not JSON"
          ? "{"
          : JSON.stringify((change as (m: Record<string, unknown>) => unknown)({ ...SAMPLE }));
      assert.throws(
        () => parseManifest(text, "m"),
        (e: Error) => e instanceof ManifestError && message.test(e.message),
      );
    });
  }

  it("compares a read-back copy: size first, then hash", () => {
    const backup = {
      key: SAMPLE.object.key,
      database: "grupogad",
      takenAt: new Date(),
      manifest: SAMPLE,
    };
    assert.equal(
      compareWithManifest(backup, { sizeBytes: 1000, sha256: "a".repeat(64) }),
      undefined,
    );
    assert.match(
      compareWithManifest(backup, { sizeBytes: 999, sha256: "b".repeat(64) }) ?? "",
      /is 999 bytes, its manifest says 1000/,
    );
    assert.match(
      compareWithManifest(backup, { sizeBytes: 1000, sha256: "b".repeat(64) }) ?? "",
      /the dump is corrupt/,
    );
  });

  it("compares a restored database: exact counts, missing tables and extensions", () => {
    const counts = new Map<string, number | null>([
      ["public.users", 11],
      ["public.events", null],
    ]);
    assert.deepEqual(compareRestored(SAMPLE, counts, new Set()), [
      "public.users has 11 rows, the manifest says 10",
      "public.events is missing",
      "extension postgis is missing",
    ]);
    const good = new Map<string, number | null>([
      ["public.users", 10],
      ["public.events", 12345],
    ]);
    assert.deepEqual(
      compareRestored(SAMPLE, good, new Set(["postgis"])),
      [],
      "estimated tables only need to exist",
    );
  });

  it("chooses the database that latest means", () => {
    const b = (database: string) => ({ key: "k", database, takenAt: new Date(), manifest: SAMPLE });
    assert.equal(chooseDatabase([b("a"), b("a")], undefined, "u"), "a");
    assert.equal(chooseDatabase([b("a"), b("b")], "b", "u"), "b");
    assert.throws(
      () => chooseDatabase([b("a"), b("b")], undefined, "s3://x"),
      /several databases \(a, b\): choose one with --database or BACKUP_DATABASE/,
    );
    assert.throws(() => chooseDatabase([], undefined, "s3://x"), /no backups in s3:\/\/x/);
  });

  it("masks secrets and keeps errors on one line", () => {
    assert.equal(
      redact("FATAL: password hunter2 wrong for hunter2", ["hunter2", undefined]),
      "FATAL: password *** wrong for ***",
    );
    assert.equal(oneLine(new Error("a\n  b\n")), "a; b");
  });
});
