// provision-app-role against a real PostgreSQL (SCRAM over TCP) and moto's Secrets Manager: the
// application's own role, with nothing of the master's powers, and a rotation that never breaks
// a running task (the previous generation's user keeps its password until the next rotation).
import { strict as assert } from "assert";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Client } from "pg";
import { AWS_TEST_ENV, Moto } from "../support/moto";
import { PgCluster } from "../support/postgres";
import { runCli } from "../support/cli";

describe("gad-backup provision-app-role", function () {
  this.timeout(120_000);
  let pg: PgCluster;
  let moto: Moto;
  let sm: SecretsManagerClient;
  let secretArn: string;

  before(async () => {
    [pg, moto] = await Promise.all([PgCluster.start(), Moto.start()]);
    await pg.createDatabase("grupogad");
    sm = moto.secretsManager();
    secretArn = await moto.createSecret("gad-test-db-app");
  });
  after(() => {
    sm?.destroy();
    pg?.stop();
    moto?.stop();
  });

  const provision = (generation: number, extra: Record<string, string> = {}) =>
    runCli(["provision-app-role"], {
      ...pg.env("grupogad"),
      ...AWS_TEST_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
      APP_ROLE: "gad_app",
      APP_LOGIN_GENERATION: String(generation),
      APP_EXTENSIONS: "pgcrypto,postgis",
      APP_LOGIN_ARN: secretArn,
      ...extra,
    });
  const stored = async () => {
    const out = await sm.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return { version: out.VersionId, ...JSON.parse(out.SecretString as string) };
  };
  /** A session as the application would open one: TCP, SCRAM, the secret's user and password. */
  const login = async (user: string, password: string) => {
    const c = new Client({
      host: "127.0.0.1",
      port: pg.port,
      user,
      password,
      database: "grupogad",
    });
    c.on("error", () => undefined);
    await c.connect();
    return c;
  };

  it("creates the group, this generation's user and the extensions; the password goes to the secret", async () => {
    const run = await provision(1);
    assert.equal(run.code, 0, run.stderr);
    const line = JSON.parse(run.stdout.trim());
    assert.deepEqual([line.user, line.generation, line.rotated], ["gad_app_blue", 1, true]);
    const secret = await stored();
    assert.equal(secret.username, "gad_app_blue");
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(secret.password), "never printed");
    const extensions = await pg.sql("grupogad", "SELECT extname FROM pg_extension ORDER BY 1");
    assert.deepEqual(
      extensions.map((e) => e.extname).filter((e) => e !== "plpgsql"),
      ["pgcrypto", "postgis"],
    );
    // The server stores a SCRAM verifier, never the password.
    const [role] = await pg.sql(
      "postgres",
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'gad_app_blue'",
    );
    assert.match(String(role.rolpassword), /^SCRAM-SHA-256\$4096:/);
  });

  it("the application's user migrates its own schema and has none of the master's powers", async () => {
    const { username, password } = await stored();
    const app = await login(username, password);
    try {
      const [who] = (await app.query("SELECT session_user, current_user")).rows;
      assert.deepEqual([who.session_user, who.current_user], ["gad_app_blue", "gad_app"]);
      await app.query("CREATE TABLE incidents (id serial PRIMARY KEY, at geometry(Point, 4326))");
      await app.query(
        "INSERT INTO incidents (at) VALUES (ST_SetSRID(ST_MakePoint(-58.4, -34.6), 4326))",
      );
      const [owner] = (
        await app.query("SELECT tableowner FROM pg_tables WHERE tablename = 'incidents'")
      ).rows;
      assert.equal(owner.tableowner, "gad_app", "the group owns it, so either user can alter it");
      for (const forbidden of [
        "CREATE ROLE intruder",
        "CREATE DATABASE other",
        "ALTER ROLE gad_app_blue SUPERUSER",
        "SELECT * FROM pg_authid",
      ]) {
        await assert.rejects(
          app.query(forbidden),
          /permission denied|must be superuser|must have/,
          forbidden,
        );
      }
    } finally {
      await app.end();
    }
  });

  it("the same generation again changes nothing: the stored password stays valid", async () => {
    const before = await stored();
    const run = await provision(1);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout.trim()).rotated, false);
    const after = await stored();
    assert.equal(after.version, before.version, "no new secret version");
    await (await login(after.username, after.password)).end();
  });

  it("rotation alternates users: the previous one keeps working until the next rotation", async () => {
    const first = await stored();
    assert.equal((await provision(2)).code, 0);
    const second = await stored();
    assert.equal(second.username, "gad_app_green");
    // Tasks started before the rotation still open connections with the old credential.
    await (await login(first.username, first.password)).end();
    const green = await login(second.username, second.password);
    try {
      await green.query("ALTER TABLE incidents ADD COLUMN note text");
      assert.equal((await green.query("SELECT count(*)::int AS n FROM incidents")).rows[0].n, 1);
    } finally {
      await green.end();
    }
    // The next rotation gives blue a new password: only then does the oldest credential stop.
    assert.equal((await provision(3)).code, 0);
    const third = await stored();
    assert.equal(third.username, "gad_app_blue");
    assert.notEqual(third.password, first.password);
    await assert.rejects(login(first.username, first.password), /password authentication failed/);
    await (await login(second.username, second.password)).end();
    await (await login(third.username, third.password)).end();
  });

  it("bad settings: one line naming each variable, nothing changed", async () => {
    const before = await stored();
    const run = await provision(0, { APP_ROLE: "Gad-App", APP_EXTENSIONS: "postgis;drop" });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^gad-backup provision-app-role failed: APP_ROLE must be a lower-case SQL identifier; APP_LOGIN_GENERATION must be an integer of 1 or more; APP_EXTENSIONS: "postgis;drop" is no extension name\n$/,
    );
    assert.equal((await stored()).version, before.version);
  });
});
