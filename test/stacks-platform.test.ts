// The platform each committed stack builds (network, cluster, database, scheduled backups,
// alarms), and the failures an operator can cause from a stack file, under mocks.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { digestOf, programCalls, secretValue, settle } from "./mocks";
import { useProgram } from "./support/program";
import { committedStacks, readYaml } from "./support/stack-files";
import { containerDefinitionProblems, numericProblems } from "../rules/aws-limits";
import { nameProblems } from "../rules/name-limits";

const SCHEDULE = "aws:scheduler/schedule:Schedule";
const INSTANCE = "aws:rds/instance:Instance";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const REGISTRY_IMAGE = "docker:index/getRegistryImage:getRegistryImage";

function stackFile(stack: string): Record<string, unknown> {
  return (readYaml(`Pulumi.${stack}.yaml`) as { config: Record<string, unknown> }).config;
}

describe("committed stacks: platform and scheduled backups", () => {
  const { mocks, run } = useProgram();

  // Names within AWS's limits as the committed stacks make them, and for the longest stack name
  // the config accepts (20 characters), where auto-named names come closest to their limits.
  for (const [stack, as] of [
    ["staging", "staging"],
    ["production", "production"],
    ["production", "p2345678901234567890"],
  ]) {
    it(`${as}: every name, description and bounded number is within AWS's documented limits`, async () => {
      await run(stack, {}, as);
      const problems = mocks.resources.flatMap((r) => [
        ...nameProblems(r.type, r.name, r.inputs),
        ...numericProblems(r.type, r.name, r.inputs),
      ]);
      assert.deepEqual(problems, []);
    });
  }

  const containers = (family: string) =>
    JSON.parse(mocks.named(TASK_DEFINITION, family).inputs.containerDefinitions);

  for (const stack of committedStacks()) {
    const file = stackFile(stack);

    it(`${stack}: every task definition is within ECS's documented limits`, async () => {
      await run(stack);
      const definitions = mocks.ofType(TASK_DEFINITION);
      assert.ok(definitions.length >= 3, `${definitions.length} task definitions`);
      const problems = definitions.flatMap((d) =>
        containerDefinitionProblems(JSON.parse(d.inputs.containerDefinitions)).map(
          (p) => `${d.name}: ${p}`,
        ),
      );
      assert.deepEqual(problems, []);
    });

    it(`${stack}: schedules the stack file's expressions in its time zone, and a weekly drill`, async () => {
      const outputs = await run(stack);
      const schedules = mocks.ofType(SCHEDULE).map((s) => s.inputs);
      assert.deepEqual(
        schedules.map((s) => s.scheduleExpression),
        [...(file["gad:backup.schedules"] as string[]), file["gad:drill.schedule"]],
      );
      for (const s of schedules) {
        assert.equal(s.scheduleExpressionTimezone, file["gad:backup.timezone"]);
        assert.equal(s.groupName, `gad-${stack}`);
      }
      assert.equal(outputs.backupRpoHours, 12.5);
      assert.equal(outputs.backupFreshnessWindowHours, 16);
      const freshness = mocks.ofType(ALARM).find((a) => a.inputs.metricName === "BackupSucceeded");
      assert.equal(freshness?.inputs.evaluationPeriods, 16);
      assert.deepEqual(freshness?.inputs.dimensions, { database: "grupogad", stack });
    });

    it(`${stack}: runs the job image and the drill database pinned by digest`, async () => {
      await run(stack);
      const repository = file["gad:backup.image"] as string;
      const name = `${repository}:${file["gad:backup.imageTag"]}`;
      const [backup] = containers(`gad-${stack}-backup`);
      assert.equal(backup.image, `${repository}@${digestOf(name)}`);
      const [drill, scratch] = containers(`gad-${stack}-drill`);
      assert.equal(drill.image, backup.image);
      assert.equal(scratch.image, `postgis/postgis@${digestOf("postgis/postgis:15-3.5")}`);
      const env = Object.fromEntries(
        backup.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
      );
      assert.equal(env.BACKUP_STACK, stack);
      assert.equal(env.BACKUP_DATABASE, "grupogad");
      assert.match(env.BACKUP_DESTINATION, new RegExp(`^s3://gad-${stack}-backups-.*/backups$`));
      assert.deepEqual(
        backup.secrets.map((s: { name: string }) => s.name),
        ["PGPASSWORD"],
      );
    });

    it(`${stack}: RDS follows the stack file`, async () => {
      await run(stack);
      const db = mocks.one(INSTANCE);
      assert.equal(db.inputs.instanceClass, file["gad:database.instanceClass"]);
      assert.equal(db.inputs.multiAz, file["gad:database.multiAz"]);
      assert.equal(db.inputs.deletionProtection, file["gad:database.deletionProtection"]);
      assert.equal(db.inputs.skipFinalSnapshot, !file["gad:database.finalSnapshot"]);
      assert.equal(db.inputs.backupRetentionPeriod, file["gad:database.backupRetentionDays"]);
      assert.equal(db.protect, file["gad:protectStatefulResources"]);
      assert.deepEqual(mocks.one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, [
        `gad-${stack}-private-1-id`,
        `gad-${stack}-private-2-id`,
      ]);
    });
  }

  it("production: bucket, keys of bucket and database, and the database are protected", async () => {
    await run("production");
    for (const [type, name] of [
      ["aws:s3/bucket:Bucket", "gad-production-backups"],
      ["aws:kms/key:Key", "gad-production-backups-key"],
      ["aws:kms/key:Key", "gad-production-db-key"],
      [INSTANCE, undefined],
    ] as const) {
      const r = name ? mocks.named(type, name) : mocks.one(type);
      assert.deepEqual([r.protect, r.retainOnDelete], [true, true], `${type} ${name ?? ""}`);
    }
    assert.equal(mocks.one(INSTANCE).inputs.finalSnapshotIdentifier, "gad-production-db-final");
    assert.equal(mocks.ofType("aws:ec2/flowLog:FlowLog").length, 1);
    assert.equal(mocks.ofType("aws:ec2/natGateway:NatGateway").length, 2);
  });

  it("staging: nothing protected, one NAT gateway, no flow logs", async () => {
    await run("staging");
    assert.equal(mocks.one(INSTANCE).protect, false);
    assert.equal(mocks.ofType("aws:ec2/natGateway:NatGateway").length, 1);
    assert.equal(mocks.ofType("aws:ec2/flowLog:FlowLog").length, 0);
  });

  it("the freshness window follows the schedules set in the stack file", async () => {
    const outputs = await run("staging", {
      "gad:backup.schedules": ["cron(0 */4 * * ? *)"],
      "gad:backup.timeoutMinutes": 60,
    });
    assert.equal(outputs.backupRpoHours, 4);
    const freshness = mocks.ofType(ALARM).find((a) => a.inputs.metricName === "BackupSucceeded");
    assert.equal(freshness?.inputs.evaluationPeriods, 4 + 3);
  });

  it("without NAT, tasks run in public subnets with public IPs", async () => {
    await run("staging", { "gad:network.natMode": "none" });
    const ecs = mocks.ofType(SCHEDULE)[0].inputs.target.ecsParameters;
    assert.equal(ecs.networkConfiguration.assignPublicIp, true);
    assert.deepEqual(ecs.networkConfiguration.subnets, [
      "gad-staging-public-1-id",
      "gad-staging-public-2-id",
    ]);
    assert.equal(mocks.ofType("aws:ec2/natGateway:NatGateway").length, 0);
  });

  it("an external database: no RDS; the tasks read DATABASE_URL from Secrets Manager", async () => {
    await run("staging", { "gad:database.mode": "external" });
    assert.equal(mocks.ofType(INSTANCE).length, 0);
    const [backup] = containers("gad-staging-backup");
    assert.deepEqual(
      backup.secrets.map((s: { name: string }) => s.name),
      ["DATABASE_URL"],
    );
    const version = mocks.named("pulumi-nodejs:dynamic:Resource", "gad-staging-db-url");
    assert.equal(secretValue(version.inputs.secretString), "test-databaseUrl-value");
  });

  /** Runs `stack` with `overrides`; expects a configuration error matching `pattern`. */
  async function refused(stack: string, overrides: Record<string, unknown>, pattern: RegExp) {
    await assert.rejects(run(stack, overrides), (err: unknown) => {
      assert.ok(err instanceof pulumi.RunError, String(err));
      assert.match(err.message, pattern);
      return true;
    });
    await settle();
    assert.equal(mocks.resources.length, 0, "nothing is created from a bad configuration");
  }

  it("refuses an empty schedule list", () =>
    refused(
      "staging",
      { "gad:backup.schedules": [] },
      /gad:backup.schedules: must have at least 1 item/,
    ));

  it("refuses schedules whose gaps no alarm can watch", () =>
    refused(
      "staging",
      { "gad:backup.schedules": ["cron(0 1 ? * MON *)"] },
      /gad:backup.schedules: leave up to 168 h between runs; with the 3.25 h grace .* would need 172 h, beyond CloudWatch's 168 h/,
    ));

  it("refuses Object Lock longer than retention", () =>
    refused(
      "production",
      { "gad:backup.objectLockDays": 45 },
      /gad:backup.objectLockDays: .*retention.* \(got 45\)/,
    ));

  it("refuses an unknown NAT mode", () =>
    refused(
      "production",
      { "gad:network.natMode": "double" },
      /gad:network.natMode: must be one of none, single, perAz \(got "double"\)/,
    ));

  it("refuses a drill database of another major version", () =>
    refused(
      "production",
      { "gad:drill.databaseImageTag": "16-3.5" },
      /gad:drill.databaseImageTag: must start with the database's major version 15/,
    ));

  it("a backup image tag that does not exist fails the run, naming the image and tag", async () => {
    mocks.calls[REGISTRY_IMAGE] = (inputs) => {
      if (String(inputs.name).endsWith(":no-such-tag")) {
        throw Object.assign(new Error("manifest unknown"), { details: "manifest unknown" });
      }
      return programCalls()[REGISTRY_IMAGE](inputs);
    };
    await assert.rejects(
      run("staging", { "gad:backup.imageTag": "no-such-tag" }),
      (err: unknown) => {
        assert.ok(err instanceof pulumi.RunError, String(err));
        assert.equal(
          err.message,
          "backup job: image ghcr.io/eevans-d/gad-infra/backup:no-such-tag could not be resolved to a digest (manifest unknown); check that the tag is published and that gad:ghcrToken (with gad:ghcr.username) can read the package (read:packages)",
        );
        return true;
      },
    );
    await settle();
    assert.equal(mocks.ofType(TASK_DEFINITION).length, 0, "no task runs an unresolved image");
  });
});
