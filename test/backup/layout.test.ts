import { strict as assert } from "assert";
import {
  checkDatabaseName,
  GiB,
  MiB,
  S3_MAX_PARTS,
  TiB,
  dumpKey,
  formatAge,
  formatBytes,
  manifestKey,
  parseKey,
  partSizeFor,
} from "../../backup/layout";
import { checkArchiveStart } from "../../backup/commands/backup";
import { parseToolVersion, serverMajor } from "../../backup/tools";

describe("backup layout", () => {
  describe("partSizeFor", () => {
    it("uses 8 MiB parts for small databases", () => {
      assert.equal(partSizeFor(0), 8 * MiB);
      assert.equal(partSizeFor(30 * GiB), 8 * MiB);
    });
    it("fits a dump twice the database's size in the part limit, up to 5 TiB databases", () => {
      for (const db of [100 * GiB, 1 * TiB, 5 * TiB]) {
        const part = partSizeFor(db);
        assert.ok((2 * db) / part <= S3_MAX_PARTS, `${db}: ${part}`);
        assert.equal(part % MiB, 0);
      }
    });
    it("a 5 TiB dump fits in 10,000 parts", () =>
      assert.ok((5 * TiB) / partSizeFor(5 * TiB) <= S3_MAX_PARTS));
    it("never exceeds S3's 5 GiB part", () => assert.equal(partSizeFor(100 * TiB), 5 * GiB));
  });

  it("names dumps by database and UTC time, manifests next to them", () => {
    const key = dumpKey("grupogad", new Date("2026-11-28T01:00:05.789Z"));
    assert.equal(key, "grupogad/2026/11/28/grupogad-20261128T010005Z.dump");
    assert.equal(manifestKey(key), `${key}.manifest.json`);
  });

  it("parses its own keys and nothing else", () => {
    const key = "grupogad/2026/11/28/grupogad-20261128T010005Z.dump";
    assert.deepEqual(parseKey(key), {
      database: "grupogad",
      takenAt: new Date("2026-11-28T01:00:05Z"),
      dumpKey: key,
    });
    assert.equal(parseKey(`${key}.manifest.json`)?.dumpKey, key);
    for (const bad of [
      "grupogad/2026/11/28/other-20261128T010005Z.dump",
      "grupogad/2026/11/28/grupogad-20261128T010005Z.sql",
      "grupogad-20261128T010005Z.dump",
      "grupogad/2026/11/28/grupogad-20261332T010005Z.dump",
    ]) {
      assert.equal(parseKey(bad), undefined, bad);
    }
  });

  it("accepts database names that can name keys", () => {
    assert.equal(checkDatabaseName("grupogad"), undefined);
    assert.equal(checkDatabaseName("Ünïcode db"), undefined);
    for (const bad of ["", "a/b", "x".repeat(64), "tab\there"])
      assert.match(checkDatabaseName(bad) ?? "", /1 to 63 characters/, bad);
  });

  it("formats sizes and ages for people", () => {
    assert.equal(formatBytes(512), "512 B");
    assert.equal(formatBytes(178287481), "170.0 MiB");
    const now = new Date("2026-11-28T12:00:00Z");
    assert.equal(formatAge(new Date("2026-11-28T11:59:30Z"), now), "30s");
    assert.equal(formatAge(new Date("2026-11-28T01:00:00Z"), now), "11h");
    assert.equal(formatAge(new Date("2026-11-20T12:00:00Z"), now), "8d");
  });

  describe("checkArchiveStart", () => {
    const header = Buffer.from([0x50, 0x47, 0x44, 0x4d, 0x50, 1, 14, 0, 4, 8, 1]);
    it("accepts a custom-format archive", () =>
      assert.equal(checkArchiveStart(header, 844), undefined));
    it("refuses nothing, a bare header, another format and other bytes", () => {
      assert.match(checkArchiveStart(Buffer.alloc(0), 0) ?? "", /wrote nothing/);
      assert.match(checkArchiveStart(header, 11) ?? "", /only 11 bytes/);
      const tar = Buffer.from(header);
      tar[10] = 3;
      assert.match(checkArchiveStart(tar, 5000) ?? "", /not a custom-format archive/);
      assert.match(
        checkArchiveStart(Buffer.from("\x1f\x8b\x08"), 20) ?? "",
        /not a pg_dump archive/,
      );
    });
  });

  it("reads client and server versions", () => {
    assert.deepEqual(parseToolVersion("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"), {
      text: "15.18",
      major: 15,
    });
    assert.deepEqual(parseToolVersion("pg_restore (PostgreSQL) 18beta1"), {
      text: "18",
      major: 18,
    });
    assert.equal(parseToolVersion("bash: pg_dump: command not found"), undefined);
    assert.equal(serverMajor(150018), 15);
    assert.equal(serverMajor(170002), 17);
  });
});
