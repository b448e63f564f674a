import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_BACKUP_RETENTION_DAYS,
  DEFAULT_BACKUP_SCHEDULES,
  DEFAULT_NAT_MODE,
} from "../../config/schema";
import { RawConfig, parse } from "../../config/stack-config";

const SECRETS = new Set(["gad:ghcrToken", "gad:appSecretKey", "gad:githubToken"]);
const BASE: RawConfig = {
  "aws:region": "sa-east-1",
  "gad:ghcrToken": "[secret]",
  "gad:appSecretKey": "[secret]",
  "gad:githubToken": "[secret]",
};

/** Parses BASE plus `extra`, and returns the error message (failing if there is none). */
function problemsWith(extra: Record<string, unknown>, secretKeys = SECRETS): string {
  try {
    parse({ ...BASE, ...extra }, "staging", secretKeys);
  } catch (err) {
    assert.ok(err instanceof pulumi.RunError, `expected a RunError, got ${err}`);
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(extra)} to be rejected`);
}

describe("parse (stack configuration)", () => {
  it("applies every default to a minimal stack", () => {
    const config = parse(BASE, "staging", SECRETS);
    assert.equal(config.stack, "staging");
    assert.equal(config.region, "sa-east-1");
    assert.equal(config.protectStatefulResources, false);
    assert.equal(config.backup.retentionDays, DEFAULT_BACKUP_RETENTION_DAYS);
    assert.deepEqual(config.backup.schedules, DEFAULT_BACKUP_SCHEDULES);
    assert.equal(config.backup.objectLock, undefined);
    assert.equal(config.backup.transitionToInfrequentAccessDays, undefined, "0 means off");
    assert.equal(config.network.natMode, DEFAULT_NAT_MODE);
    const [api] = config.services;
    assert.deepEqual(
      [api.name, api.image, api.port, api.healthPath, api.public, api.database],
      [
        "api",
        { repository: "ghcr.io/eevans-d/grupo_gad/api", tag: "master" },
        8000,
        "/health",
        true,
        true,
      ],
    );
    assert.deepEqual(api.secrets, { SECRET_KEY: "appSecretKey" });
    assert.deepEqual(api.writablePaths, ["/app/logs", "/tmp"]);
  });

  it("reads values as the engine passes them: strings, including JSON lists", () => {
    const config = parse(
      {
        ...BASE,
        "gad:backup.retentionDays": "90",
        "gad:backup.transitionToInfrequentAccessDays": "30",
        "gad:backup.transitionToGlacierDays": "60",
        "gad:protectStatefulResources": "true",
        "gad:backup.objectLockMode": "COMPLIANCE",
        "gad:backup.objectLockDays": "35",
        "gad:backup.schedules": '["cron(0 2 * * ? *)"]',
        "gad:github.requiredReviewers": '["eevans-d","eevans-d/ops"]',
      },
      "production",
      SECRETS,
    );
    assert.equal(config.backup.retentionDays, 90);
    assert.equal(config.backup.transitionToInfrequentAccessDays, 30);
    assert.equal(config.backup.transitionToGlacierDays, 60);
    assert.equal(config.protectStatefulResources, true);
    assert.deepEqual(config.backup.objectLock, { mode: "COMPLIANCE", days: 35 });
    assert.deepEqual(config.backup.schedules, ["cron(0 2 * * ? *)"]);
    assert.deepEqual(config.github.requiredReviewers, ["eevans-d", "eevans-d/ops"]);
  });

  // Each case: the bad setting, the key the message must name, the value it must show, the rule.
  const cases: [Record<string, unknown>, string, string, RegExp][] = [
    [
      { "gad:backup.retentionDays": "abc" },
      "gad:backup.retentionDays",
      '"abc"',
      /^ {2}gad:backup.retentionDays: must be an integer >= 1 \(got "abc"\)$/,
    ],
    [{ "gad:backup.retentionDays": 0 }, "gad:backup.retentionDays", "0", /must be an integer >= 1/],
    [
      { "gad:backup.retentionDays": "1.5" },
      "gad:backup.retentionDays",
      "1.5",
      /must be an integer/,
    ],
    [{ "gad:backup.noncurrentVersionDays": -1 }, "gad:backup.noncurrentVersionDays", "-1", />= 1/],
    [
      { "gad:backup.kmsKeyDeletionWindowDays": 3 },
      "gad:backup.kmsKeyDeletionWindowDays",
      "3",
      /from 7 to 30/,
    ],
    [
      { "gad:backup.kmsKeyDeletionWindowDays": 31 },
      "gad:backup.kmsKeyDeletionWindowDays",
      "31",
      /<= 30/,
    ],
    [
      { "gad:protectStatefulResources": "yes" },
      "gad:protectStatefulResources",
      '"yes"',
      /true or false/,
    ],
    [
      { "gad:backup.transitionToInfrequentAccessDays": 10 },
      "gad:backup.transitionToInfrequentAccessDays",
      "10",
      /at least 30/,
    ],
    [
      { "gad:backup.transitionToInfrequentAccessDays": 30 },
      "gad:backup.transitionToInfrequentAccessDays",
      "30",
      /less than backup.retentionDays \(30\)/,
    ],
    [
      {
        "gad:backup.retentionDays": 120,
        "gad:backup.transitionToInfrequentAccessDays": 30,
        "gad:backup.transitionToGlacierDays": 45,
      },
      "gad:backup.transitionToGlacierDays",
      "45",
      /30 days after backup.transitionToInfrequentAccessDays \(30\), i.e. >= 60/,
    ],
    [
      { "gad:backup.transitionToGlacierDays": 40 },
      "gad:backup.transitionToGlacierDays",
      "40",
      /less than backup.retentionDays/,
    ],
    [
      { "gad:backup.glacierStorageClass": "GLACIER_DEEP" },
      "gad:backup.glacierStorageClass",
      '"GLACIER_DEEP"',
      /one of GLACIER_IR, GLACIER, DEEP_ARCHIVE/,
    ],
    [
      { "gad:backup.objectLockMode": "governance" },
      "gad:backup.objectLockMode",
      '"governance"',
      /one of none, GOVERNANCE, COMPLIANCE/,
    ],
    [
      { "gad:backup.objectLockMode": "GOVERNANCE", "gad:backup.objectLockDays": 45 },
      "gad:backup.objectLockDays",
      "45",
      /must not exceed backup.retentionDays \(30\)/,
    ],
    [
      { "gad:backup.objectLockMode": "COMPLIANCE" },
      "gad:backup.objectLockDays",
      "0",
      />= 1 when Object Lock is on/,
    ],
    [
      { "gad:backup.objectLockDays": 10 },
      "gad:backup.objectLockDays",
      "10",
      /must be 0 when backup.objectLockMode is none/,
    ],
    [
      { "gad:backup.prefix": "/backups/" },
      "gad:backup.prefix",
      '"/backups/"',
      /no leading or trailing/,
    ],
    [
      { "gad:backup.schedules": ["0 1 * * *"] },
      "gad:backup.schedules[0]",
      '"0 1 * * *"',
      /cron\(0 1 \* \* \? \*\)/,
    ],
    [
      { "gad:backup.schedules": '["cron(0 1 * * ? *)","cron(0 25 * * ? *)"]' },
      "gad:backup.schedules[1]",
      '"cron(0 25 * * ? *)"',
      /hours field "25"/,
    ],
    [{ "gad:backup.schedules": [] }, "gad:backup.schedules", "[]", /at least 1 item/],
    [
      { "gad:backup.schedules": ["cron(0 1 1 1 ? 2030)"] },
      "gad:backup.schedules",
      '["cron(0 1 1 1 ? 2030)"]',
      /must run at least twice a year: the schedules run never in a year/,
    ],
    [
      { "gad:backup.schedules": "cron(0 1 * * ? *)" },
      "gad:backup.schedules",
      '"cron(0 1 * * ? *)"',
      /must be a list/,
    ],
    [
      { "gad:backup.schedules": ["cron(0 1 * * ? *)", "cron(0 1 * * ? *)"] },
      "gad:backup.schedules",
      '"cron(0 1 * * ? *)"',
      /must not repeat/,
    ],
    [
      { "gad:backup.timezone": "Buenos Aires" },
      "gad:backup.timezone",
      '"Buenos Aires"',
      /IANA time zone/,
    ],
    [
      { "gad:backup.image": "ghcr.io/eevans-d/GRUPO_GAD/api" },
      "gad:backup.image",
      '"ghcr.io/eevans-d/GRUPO_GAD/api"',
      /lower case/,
    ],
    [
      { "gad:services": { api: { image: "ghcr.io/eevans-d/grupo_gad/api:1.2.3" } } },
      "gad:services.api.image",
      '"ghcr.io/eevans-d/grupo_gad/api:1.2.3"',
      /imageTag/,
    ],
    [
      { "gad:services": { api: { image: "ghcr.io/a/b", imageTag: "-bad" } } },
      "gad:services.api.imageTag",
      '"-bad"',
      /image tag/,
    ],
    [{ "gad:backup.cpu": 300 }, "gad:backup.cpu", "300", /Fargate CPU value/],
    [
      { "gad:backup.cpu": 512, "gad:backup.memory": 8192 },
      "gad:backup.memory",
      "8192",
      /valid Fargate memory for cpu 512/,
    ],
    [
      { "gad:network.vpcCidr": "10.40.0.0/8" },
      "gad:network.vpcCidr",
      '"10.40.0.0/8"',
      /host bits set/,
    ],
    [
      { "gad:network.vpcCidr": "300.1.0.0/16" },
      "gad:network.vpcCidr",
      '"300.1.0.0/16"',
      /IPv4 CIDR/,
    ],
    [
      { "gad:network.natMode": "perAZ" },
      "gad:network.natMode",
      '"perAZ"',
      /one of none, single, perAz/,
    ],
    [{ "gad:network.azCount": 1 }, "gad:network.azCount", "1", /from 2 to 6/],
    [
      { "gad:github.repositories": ["GRUPO_GAD"] },
      "gad:github.repositories[0]",
      '"GRUPO_GAD"',
      /owner\/name/,
    ],
    [
      { "gad:github.requiredReviewers": ["@eevans-d"] },
      "gad:github.requiredReviewers[0]",
      '"@eevans-d"',
      /user login or a team/,
    ],
    [{ "aws:region": "sao-paulo" }, "aws:region", '"sao-paulo"', /AWS region/],
    [
      { "gad:backup.schedules": ["cron(0 1 ? * MON *)"] },
      "gad:backup.schedules",
      '["cron(0 1 ? * MON *)"]',
      /leave up to 168 h between runs; with the 3.25 h grace .* would need 172 h, beyond CloudWatch's 168 h: schedule runs more often/,
    ],
    [
      { "gad:backup.logRetentionDays": 45 },
      "gad:backup.logRetentionDays",
      "45",
      /CloudWatch Logs retention period: 1, 3, 5/,
    ],
    [
      { "gad:backup.ephemeralStorageGiB": 10 },
      "gad:backup.ephemeralStorageGiB",
      "10",
      /from 21 to 200/,
    ],
    [{ "gad:drill.schedule": "weekly" }, "gad:drill.schedule", '"weekly"', /cron\(|rate\(/],
    [
      { "gad:drill.cpu": 512, "gad:drill.memory": 512 },
      "gad:drill.memory",
      "512",
      /valid Fargate memory for cpu 512/,
    ],
    [
      { "gad:drill.databaseImageTag": "16-3.5" },
      "gad:drill.databaseImageTag",
      '"16-3.5"',
      /must start with the database's major version 15 \(database.engineVersion\)/,
    ],
    [
      { "gad:drill.databaseImage": "postgis/postgis:15" },
      "gad:drill.databaseImage",
      '"postgis/postgis:15"',
      /repository only/,
    ],
    [{ "gad:database.mode": "aurora" }, "gad:database.mode", '"aurora"', /one of rds, external/],
    [{ "gad:database.engineVersion": "14" }, "gad:database.engineVersion", "14", /from 15/],
    [
      { "gad:database.instanceClass": "t4g.small" },
      "gad:database.instanceClass",
      '"t4g.small"',
      /RDS instance class/,
    ],
    [{ "gad:database.name": "Grupo-GAD" }, "gad:database.name", '"Grupo-GAD"', /SQL identifier/],
    [
      { "gad:database.allocatedStorageGiB": 100, "gad:database.maxAllocatedStorageGiB": 50 },
      "gad:database.maxAllocatedStorageGiB",
      "50",
      /at least database.allocatedStorageGiB \(100\)/,
    ],
    [{ "gad:database.backupRetentionDays": 40 }, "gad:database.backupRetentionDays", "40", /<= 35/],
    [{ "gad:alarms.emails": ["ops"] }, "gad:alarms.emails[0]", '"ops"', /e-mail address/],
    [{ "gad:ghcr.username": "org/team" }, "gad:ghcr.username", '"org/team"', /user login/],
    [
      { "gad:network.flowLogRetentionDays": 2 },
      "gad:network.flowLogRetentionDays",
      "2",
      /retention period/,
    ],
    [
      { "gad:backup.retentionDay": 30 },
      "gad:backup.retentionDay",
      "30",
      /unknown key; did you mean gad:backup.retentionDays\?/,
    ],
    [
      { "gad:backup": { retentionDays: 30 } },
      "gad:backup",
      '{"retentionDays":30}',
      /set each of its keys \(gad:backup.prefix, gad:backup.retentionDays, ...\) on its own, without --path/,
    ],
  ];

  for (const [extra, key, shown, rule] of cases) {
    it(`rejects ${JSON.stringify(extra)} naming ${key}`, () => {
      const message = problemsWith(extra);
      const line = message.split("\n").find((l) => l.trim().startsWith(`${key}:`));
      assert.ok(line, `no line names ${key} in:\n${message}`);
      assert.ok(line.endsWith(`(got ${shown})`), `line does not show the value ${shown}: ${line}`);
      assert.match(line, rule);
    });
  }

  it("has at least 20 bad-input cases", () => assert.ok(cases.length >= 20));

  it("reports every problem in one error, one line each", () => {
    const message = problemsWith({
      "gad:backup.retentionDays": "abc",
      "gad:network.natMode": "double",
      "gad:bakup.prefix": "x",
    });
    assert.match(message, /^Configuration of stack "staging" has 3 problems:$/m);
    assert.match(message, /^ {2}gad:backup.retentionDays: .*\(got "abc"\)$/m);
    assert.match(message, /^ {2}gad:network.natMode: .*\(got "double"\)$/m);
    assert.match(
      message,
      /^ {2}gad:bakup.prefix: unknown key; did you mean gad:backup.prefix\? \(got "x"\)$/m,
    );
  });

  it("requires aws:region with the command that sets it", () => {
    const { "aws:region": _region, ...rest } = BASE;
    assert.throws(
      () => parse(rest, "staging", SECRETS),
      /aws:region: is required: pulumi config set aws:region/,
    );
  });

  it("rejects a stack name that cannot name resources", () => {
    assert.throws(
      () => parse(BASE, "Prod_1", SECRETS),
      /stack name: must be lower case .* \(got "Prod_1"\)/,
    );
    assert.doesNotThrow(() => parse(BASE, "p".repeat(20), SECRETS));
    assert.throws(
      () => parse(BASE, "p".repeat(21), SECRETS),
      /stack name: must have at most 20 characters: the load balancer's name \(gad-<stack> and Pulumi's 8-character suffix\) may have 32/,
    );
  });

  it("lists missing secrets together, each with the command that sets it", () => {
    const { "gad:ghcrToken": _t, "gad:appSecretKey": _k, ...rest } = BASE;
    let message = "";
    assert.throws(
      () => parse(rest, "production", new Set()),
      (err: Error) => ((message = err.message), true),
    );
    assert.match(
      message,
      /gad:ghcrToken: required secret is not set: GitHub token with `read:packages`/,
    );
    assert.match(message, /gad:appSecretKey: required secret is not set/);
    assert.match(message, /^ {2}pulumi config set --secret --stack production ghcrToken$/m);
    assert.match(message, /^ {2}pulumi config set --secret --stack production appSecretKey$/m);
  });

  it("requires databaseUrl only for an external database, and refuses it otherwise", () => {
    const external = problemsWith({ "gad:database.mode": "external" });
    assert.match(
      external,
      /gad:databaseUrl: required secret is not set: With `database.mode: external`/,
    );
    assert.match(external, /^ {2}pulumi config set --secret --stack staging databaseUrl$/m);
    const config = parse(
      { ...BASE, "gad:database.mode": "external", "gad:databaseUrl": "[secret]" },
      "staging",
      new Set([...SECRETS, "gad:databaseUrl"]),
    );
    assert.equal(config.database.mode, "external");
    const unused = problemsWith(
      { "gad:databaseUrl": "[secret]" },
      new Set([...SECRETS, "gad:databaseUrl"]),
    );
    assert.match(
      unused,
      /gad:databaseUrl: is used only when gad:database.mode is external: remove it \(pulumi config rm --stack staging databaseUrl\) or set gad:database.mode to external \(got "\[secret\]"\)/,
    );
  });

  it("refuses required reviewers who could never approve a run one of them starts", () => {
    // With prevent self-review, the reviewer who starts a run cannot approve it
    // (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment#required-reviewers).
    const alone = problemsWith({
      "gad:github.requiredReviewers": '["eevans-d"]',
      "gad:github.preventSelfReview": "true",
    });
    assert.match(
      alone,
      /gad:github.requiredReviewers: with gad:github.preventSelfReview a run that eevans-d starts can never be approved: name a second reviewer or a team, or set gad:github.preventSelfReview to false \(got \["eevans-d"\]\)/,
    );
    const seven = Array.from({ length: 7 }, (_, i) => `user${i}`);
    assert.match(
      problemsWith({ "gad:github.requiredReviewers": JSON.stringify(seven) }),
      /gad:github.requiredReviewers: GitHub allows at most 6 required reviewers \(users or teams\)/,
    );
    for (const ok of [
      { "gad:github.requiredReviewers": '["eevans-d", "octocat"]' },
      { "gad:github.requiredReviewers": '["eevans-d/gad-ops"]' },
      { "gad:github.requiredReviewers": '["eevans-d"]', "gad:github.preventSelfReview": "false" },
      { "gad:github.requiredReviewers": "[]" },
    ]) {
      assert.doesNotThrow(() => parse({ ...BASE, ...ok }, "staging", SECRETS), JSON.stringify(ok));
    }
  });

  it("reads the database, drill and alarm settings", () => {
    const config = parse(
      {
        ...BASE,
        "gad:database.multiAz": "true",
        "gad:database.instanceClass": "db.m7g.large",
        "gad:drill.schedule": "cron(0 4 ? * SAT *)",
        "gad:alarms.emails": '["ops@example.org"]',
      },
      "staging",
      SECRETS,
    );
    assert.equal(config.database.multiAz, true);
    assert.equal(config.database.instanceClass, "db.m7g.large");
    assert.equal(config.database.engineVersion, "15");
    assert.equal(config.drill.schedule, "cron(0 4 ? * SAT *)");
    assert.deepEqual(config.drill.databaseImage, { repository: "postgis/postgis", tag: "15-3.5" });
    assert.deepEqual(config.alarms.emails, ["ops@example.org"]);
    assert.equal(config.backup.timeoutMinutes, 120);
  });

  it("refuses a secret stored in plain text, without echoing it", () => {
    const message = problemsWith(
      { "gad:ghcrToken": "ghp_plaintexttoken" },
      new Set(["gad:appSecretKey"]),
    );
    assert.match(
      message,
      /gad:ghcrToken: must be stored encrypted: pulumi config set --secret --stack staging ghcrToken \(got "\[plain text\]"\)/,
    );
    assert.doesNotMatch(message, /ghp_plaintexttoken/);
  });

  it("ignores keys of other namespaces (provider settings)", () => {
    assert.doesNotThrow(() =>
      parse({ ...BASE, "aws:profile": "ops", "github:owner": "eevans-d" }, "staging", SECRETS),
    );
  });
});
