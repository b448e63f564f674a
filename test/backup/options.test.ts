import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { connInfoFromEnv, libpqEnv, parseDatabaseUrl } from "../../backup/conninfo";
import { UsageError } from "../../backup/errors";
import { emfLine } from "../../backup/log";
import { DEFAULT_COMPRESSION, HELP, jobSettings, parseInvocation } from "../../backup/options";
import { parseDestination } from "../../backup/storage";

describe("gad-backup options", () => {
  it("parses commands with their arguments and flags", () => {
    const inv = parseInvocation([
      "restore",
      "latest",
      "--target",
      "postgresql://u@h/db",
      "--create",
      "--jobs",
      "4",
    ]);
    assert.equal(inv.command, "restore");
    assert.deepEqual(inv.positionals, ["latest"]);
    assert.equal(inv.flags.create, true);
    assert.equal(inv.flags.jobs, "4");
    assert.equal(parseInvocation([]).command, "help");
    assert.equal(parseInvocation(["backup", "--help"]).command, "help");
    assert.equal(parseInvocation(["--version"]).command, "version");
  });

  for (const [argv, message] of [
    [["bogus"], /unknown command "bogus": use one of backup, list, verify, restore, drill/],
    [["verify"], /verify takes one backup: a key as printed by list, or latest/],
    [["backup", "extra"], /backup takes no arguments \(got extra\)/],
    [["list", "--jsn"], /Unknown option '--jsn'; see gad-backup --help/],
  ] as const) {
    it(`refuses ${argv.join(" ")}`, () =>
      assert.throws(
        () => parseInvocation([...argv]),
        (e: Error) => e instanceof UsageError && message.test(e.message),
      ));
  }

  it("takes settings from the environment, with the measured default compression", () => {
    const s = jobSettings(parseInvocation(["backup"]), {
      BACKUP_DESTINATION: "s3://gad-backups/db/",
      AWS_REGION: "sa-east-1",
      BACKUP_TIMEOUT_SECONDS: "3600",
    });
    assert.deepEqual(s.destination, {
      kind: "s3",
      bucket: "gad-backups",
      prefix: "db",
      url: "s3://gad-backups/db",
    });
    assert.equal(s.compression, DEFAULT_COMPRESSION);
    assert.equal(s.timeoutSeconds, 3600);
    assert.equal(s.rowCounts, "exact");
    assert.equal(s.metricNamespace, "GAD/Backups");
  });

  it("lets a command-line option win over its variable", () => {
    const s = jobSettings(
      parseInvocation(["backup", "--compression", "6", "--destination", "file:///srv/b"]),
      {
        BACKUP_COMPRESSION: "1",
        BACKUP_DESTINATION: "s3://x-bucket/p",
      },
    );
    assert.equal(s.compression, "6");
    assert.deepEqual(s.destination, { kind: "file", directory: "/srv/b", url: "file:///srv/b" });
  });

  for (const [env, message] of [
    [{}, /no destination: set BACKUP_DESTINATION/],
    [
      { BACKUP_DESTINATION: "s3://Bad_Bucket/x", AWS_REGION: "r" },
      /BACKUP_DESTINATION must be s3:\/\/<bucket>\/<prefix> or file:\/\/\/<directory>/,
    ],
    [{ BACKUP_DESTINATION: "file://relative/dir" }, /must name an absolute directory/],
    [{ BACKUP_DESTINATION: "s3://gad-b/p" }, /AWS_REGION is not set/],
    [
      { BACKUP_DESTINATION: "file:///b", BACKUP_PART_SIZE_MB: "2" },
      /BACKUP_PART_SIZE_MB must be from 5 to 5120/,
    ],
    [
      { BACKUP_DESTINATION: "file:///b", BACKUP_TIMEOUT_SECONDS: "-5" },
      /BACKUP_TIMEOUT_SECONDS must be a positive number \(got "-5"\)/,
    ],
    [
      { BACKUP_DESTINATION: "file:///b", BACKUP_ROW_COUNTS: "some" },
      /BACKUP_ROW_COUNTS must be exact or estimate/,
    ],
    [
      { BACKUP_DESTINATION: "file:///b", BACKUP_COMPRESSION: "brotli" },
      /BACKUP_COMPRESSION must be 0-9 \(gzip level\) or gzip\|lz4\|zstd\[:level\]/,
    ],
  ] as const) {
    it(`refuses ${JSON.stringify(env)}`, () =>
      assert.throws(
        () => jobSettings(parseInvocation(["backup"]), env),
        (e: Error) => e instanceof UsageError && message.test(e.message),
      ));
  }

  it("documents every command and every variable it reads in --help", () => {
    for (const word of [
      "backup",
      "list",
      "verify",
      "restore",
      "drill",
      "--target",
      "--create",
      "--force",
      "--jobs",
      "--json",
    ]) {
      assert.ok(HELP.includes(word), word);
    }
    const source = ["options", "conninfo", "cli", "commands/drill", "context"]
      .map((f) => fs.readFileSync(path.join(__dirname, "../../backup", `${f}.ts`), "utf8"))
      .join("\n");
    const read = new Set(
      [...source.matchAll(/env\.([A-Z][A-Z0-9_]+)\b(?!\s*=[^=])/g)].map((m) => m[1]),
    );
    for (const name of read) assert.ok(HELP.includes(name), `--help does not mention ${name}`);
  });
});

describe("gad-backup connections", () => {
  it("reads the application's SQLAlchemy URL form", () => {
    const c = parseDatabaseUrl(
      "postgresql+asyncpg://gad:p%40ss%2Fw@db.example:6432/grupogad?sslmode=require",
      "DATABASE_URL",
    );
    assert.deepEqual(
      {
        host: c.host,
        port: c.port,
        user: c.user,
        password: c.password,
        database: c.database,
        sslmode: c.sslmode,
      },
      {
        host: "db.example",
        port: 6432,
        user: "gad",
        password: "p@ss/w",
        database: "grupogad",
        sslmode: "require",
      },
    );
  });

  it("refuses URLs it cannot use, without showing them", () => {
    for (const [url, message] of [
      ["mysql://u:secret@h/db", /must start with postgresql:\/\/ \(got mysql:\/\/\)/],
      ["postgresql://u:secret@h", /names no database/],
      ["postgresql://h/db", /names no user/],
      ["postgresql://u@h/db?sslmode=maybe", /unknown sslmode "maybe"/],
    ] as const) {
      assert.throws(
        () => parseDatabaseUrl(url, "DATABASE_URL"),
        (e: Error) => message.test(e.message) && !e.message.includes("secret"),
      );
    }
  });

  it("prefers DATABASE_URL, else needs the libpq variables", () => {
    assert.equal(
      connInfoFromEnv({ DATABASE_URL: "postgresql://a@h/d", PGHOST: "other" }).host,
      "h",
    );
    assert.throws(
      () => connInfoFromEnv({ PGHOST: "h" }),
      /set DATABASE_URL, or PGUSER, PGDATABASE/,
    );
  });

  it("hands pg_dump the connection in libpq variables, dropping contradicting ones", () => {
    const env = libpqEnv(
      parseDatabaseUrl("postgresql://u:pw@h:5433/d", "x"),
      { PATH: "/bin", PGSERVICE: "other", DATABASE_URL: "x", PG_BIN_DIR: "/opt" },
      "gad-backup:pg_dump",
    );
    assert.equal(env.PGPASSWORD, "pw");
    assert.equal(env.PGPORT, "5433");
    assert.equal(env.PGSERVICE, undefined);
    assert.equal(env.DATABASE_URL, undefined);
    assert.equal(env.PATH, "/bin");
  });

  it("parses destinations", () => {
    assert.deepEqual(parseDestination("s3://gad-prod-backups"), {
      kind: "s3",
      bucket: "gad-prod-backups",
      prefix: "",
      url: "s3://gad-prod-backups",
    });
    assert.deepEqual(parseDestination("file:///var/backups/"), {
      kind: "file",
      directory: "/var/backups",
      url: "file:///var/backups/",
    });
  });
});

describe("gad-backup metrics", () => {
  it("writes CloudWatch Embedded Metric Format", () => {
    const line = emfLine(
      "GAD/Backups",
      { database: "grupogad", stack: "production" },
      [
        { name: "BackupSucceeded", value: 1, unit: "Count" },
        { name: "BackupBytes", value: 42, unit: "Bytes" },
      ],
      new Date(1_000),
    );
    assert.deepEqual(JSON.parse(line), {
      _aws: {
        Timestamp: 1000,
        CloudWatchMetrics: [
          {
            Namespace: "GAD/Backups",
            Dimensions: [["database", "stack"]],
            Metrics: [
              { Name: "BackupSucceeded", Unit: "Count" },
              { Name: "BackupBytes", Unit: "Bytes" },
            ],
          },
        ],
      },
      database: "grupogad",
      stack: "production",
      BackupSucceeded: 1,
      BackupBytes: 42,
    });
  });
});
