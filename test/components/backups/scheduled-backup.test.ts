import { strict as assert } from "assert";
import {
  RecordingMocks,
  callerIdentity,
  digestOf,
  installMocks,
  settle,
  valueOf,
} from "../../mocks";
import type * as ScheduledBackupModule from "../../../components/backups/scheduled-backup";
import type * as DatabaseModule from "../../../components/platform/database";
import type * as AlarmTopicModule from "../../../components/platform/alarm-topic";

const ACCOUNT = "123456789012";
const CLUSTER = `arn:aws:ecs:sa-east-1:${ACCOUNT}:cluster/gad-test`;
const BUCKET_ARN = "arn:aws:s3:::gad-test-backups";
const BUCKET_KEY = `arn:aws:kms:sa-east-1:${ACCOUNT}:key/bucket-key`;
const CREDENTIALS = `arn:aws:secretsmanager:sa-east-1:${ACCOUNT}:secret:ghcr-AbCdEf`;
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SCHEDULE = "aws:scheduler/schedule:Schedule";
const ROLE = "aws:iam/role:Role";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const JOB_IMAGE = `ghcr.io/eevans-d/gad-infra/backup@${digestOf("backup:1.2.3")}`;
const DRILL_DATABASE_IMAGE = `postgis/postgis@${digestOf("postgis/postgis:15-3.5")}`;

describe("ScheduledBackup", () => {
  const mocks = new RecordingMocks({
    "aws:index/getCallerIdentity:getCallerIdentity": callerIdentity(ACCOUNT),
  });
  let mod: typeof ScheduledBackupModule;
  let db: typeof DatabaseModule;
  let alarms: typeof AlarmTopicModule;

  before(async () => {
    await installMocks(mocks, { stack: "test" });
    mod = await import("../../../components/backups/scheduled-backup");
    db = await import("../../../components/platform/database");
    alarms = await import("../../../components/platform/alarm-topic");
  });
  beforeEach(() => mocks.reset());

  type Overrides = {
    backup?: Partial<ScheduledBackupModule.ScheduledBackupArgs["backup"]>;
    drill?: Partial<ScheduledBackupModule.ScheduledBackupArgs["drill"]>;
    assignPublicIp?: boolean;
    database?: "rds" | "external";
    alarmEmails?: string[];
  };

  function build(o: Overrides = {}) {
    const database = new db.Database("gad-test-db", {
      region: "sa-east-1",
      mode: o.database ?? "rds",
      name: "grupogad",
      vpcId: "vpc-1",
      subnetIds: ["subnet-p1", "subnet-p2"],
      url: "postgresql://u:p@db.example.org/grupogad",
    });
    return new mod.ScheduledBackup("gad-test", {
      stack: "test",
      region: "sa-east-1",
      bucket: {
        bucketName: "gad-test-backups",
        bucketArn: BUCKET_ARN,
        kmsKeyArn: BUCKET_KEY,
        backupPrefix: "backups",
      },
      network: {
        vpcId: "vpc-1",
        taskSubnetIds: ["subnet-p1", "subnet-p2"],
        assignPublicIp: o.assignPublicIp ?? false,
      },
      cluster: { clusterArn: CLUSTER },
      images: { job: JOB_IMAGE, drillDatabase: DRILL_DATABASE_IMAGE },
      registryCredentialsArn: CREDENTIALS,
      database,
      backup: {
        schedules: ["cron(0 1 * * ? *)", "cron(30 13 * * ? *)"],
        timezone: "UTC",
        cpu: 1024,
        memory: 2048,
        ephemeralStorageGiB: 21,
        timeoutMinutes: 120,
        ...o.backup,
      },
      drill: {
        cpu: 1024,
        memory: 4096,
        ephemeralStorageGiB: 50,
        timeoutMinutes: 180,
        sanitySql: "SELECT version_num FROM alembic_version",
        ...o.drill,
      },
      alarmTopic: new alarms.AlarmTopic("gad-test-alarms", {
        emails: o.alarmEmails ?? ["ops@example.org"],
      }),
    });
  }

  const definition = (family: string) => mocks.named(TASK_DEFINITION, family).inputs;
  const containers = (family: string) => JSON.parse(definition(family).containerDefinitions);
  const policyOf = (roleName: string) =>
    JSON.parse(mocks.named(ROLE, roleName).inputs.inlinePolicies[0].policy);
  const trustOf = (roleName: string) =>
    JSON.parse(mocks.named(ROLE, roleName).inputs.assumeRolePolicy);

  it("schedules each expression in its time zone, with retries and a dead-letter queue", async () => {
    build({ backup: { timezone: "America/Argentina/Buenos_Aires" } });
    await settle();
    const schedules = mocks.ofType(SCHEDULE).map((s) => s.inputs);
    assert.deepEqual(
      schedules.map((s) => [s.scheduleExpression, s.scheduleExpressionTimezone]),
      [
        ["cron(0 1 * * ? *)", "America/Argentina/Buenos_Aires"],
        ["cron(30 13 * * ? *)", "America/Argentina/Buenos_Aires"],
        ["cron(0 4 ? * SUN *)", "America/Argentina/Buenos_Aires"],
      ],
    );
    const [first] = schedules;
    assert.deepEqual(first.flexibleTimeWindow, { mode: "OFF" });
    assert.equal(first.groupName, "gad-test");
    assert.equal(first.target.arn, CLUSTER);
    assert.deepEqual(first.target.retryPolicy, {
      maximumRetryAttempts: 3,
      maximumEventAgeInSeconds: 3600,
    });
    assert.equal(
      first.target.deadLetterConfig.arn,
      `arn:aws:sqs:sa-east-1:${ACCOUNT}:gad-test-dead-letters`,
    );
    const ecs = first.target.ecsParameters;
    assert.equal(
      ecs.taskDefinitionArn,
      `arn:aws:ecs:sa-east-1:${ACCOUNT}:task-definition/gad-test-backup:1`,
    );
    assert.equal(ecs.launchType, "FARGATE");
    assert.equal(ecs.capacityProviderStrategies, undefined);
    assert.deepEqual(ecs.networkConfiguration.subnets, ["subnet-p1", "subnet-p2"]);
    assert.equal(ecs.networkConfiguration.assignPublicIp, false);
    assert.equal(
      schedules[2].target.ecsParameters.taskDefinitionArn.endsWith("/gad-test-drill:1"),
      true,
    );
    const queue = mocks.one("aws:sqs/queue:Queue").inputs;
    assert.equal(queue.sqsManagedSseEnabled, true);
  });

  it("spot and public IPs are configuration", async () => {
    build({ backup: { spot: true }, assignPublicIp: true });
    await settle();
    const ecs = mocks.ofType(SCHEDULE)[0].inputs.target.ecsParameters;
    assert.equal(ecs.launchType, undefined);
    assert.deepEqual(ecs.capacityProviderStrategies, [
      { capacityProvider: "FARGATE_SPOT", weight: 1 },
    ]);
    assert.equal(ecs.networkConfiguration.assignPublicIp, true);
  });

  it("backup task: pinned image, read-only and non-root, the job's environment and secrets", async () => {
    build();
    await settle();
    const task = definition("gad-test-backup");
    assert.deepEqual(
      [
        task.cpu,
        task.memory,
        task.ephemeralStorage,
        task.networkMode,
        task.requiresCompatibilities,
      ],
      ["1024", "2048", { sizeInGib: 21 }, "awsvpc", ["FARGATE"]],
    );
    assert.deepEqual(task.volumes, [{ name: "scratch" }, { name: "tmp" }]);
    const [c] = containers("gad-test-backup");
    assert.equal(c.image, JOB_IMAGE);
    assert.deepEqual(c.command, ["backup"]);
    assert.equal(c.user, "10001:10001");
    assert.equal(c.readonlyRootFilesystem, true);
    assert.deepEqual(c.repositoryCredentials, { credentialsParameter: CREDENTIALS });
    assert.deepEqual(
      c.mountPoints.map((m: { containerPath: string }) => m.containerPath),
      ["/scratch", "/tmp"],
    );
    assert.deepEqual(c.environment, [
      { name: "AWS_REGION", value: "sa-east-1" },
      { name: "BACKUP_DATABASE", value: "grupogad" },
      { name: "BACKUP_DESTINATION", value: "s3://gad-test-backups/backups" },
      { name: "BACKUP_METRIC_NAMESPACE", value: "GAD/Backups" },
      { name: "BACKUP_STACK", value: "test" },
      { name: "BACKUP_TIMEOUT_SECONDS", value: "7200" },
      { name: "BACKUP_TMPDIR", value: "/scratch" },
      { name: "PGDATABASE", value: "grupogad" },
      { name: "PGHOST", value: "gad-test-db.abcdefghij.sa-east-1.rds.amazonaws.com" },
      { name: "PGPORT", value: "5432" },
      { name: "PGSSLMODE", value: "verify-full" },
      { name: "PGSSLROOTCERT", value: "/etc/ssl/certs/rds-global-bundle.pem" },
      { name: "PGUSER", value: "gad" },
    ]);
    assert.deepEqual(c.secrets, [
      {
        name: "PGPASSWORD",
        valueFrom: `arn:aws:secretsmanager:sa-east-1:${ACCOUNT}:secret:rds!db-gad-test-db-XyZ123:password::`,
      },
    ]);
    assert.equal(JSON.stringify(c).includes('password":'), false);
    assert.equal(c.logConfiguration.logDriver, "awslogs");
    assert.equal(c.logConfiguration.options["awslogs-group"], "gad-test");
    assert.equal(
      mocks.named("aws:cloudwatch/logGroup:LogGroup", "gad-test").inputs.retentionInDays,
      90,
    );
  });

  it("external database: DATABASE_URL from its secret, egress to the database port anywhere", async () => {
    build({ database: "external" });
    await settle();
    const [c] = containers("gad-test-backup");
    assert.deepEqual(c.secrets, [
      {
        name: "DATABASE_URL",
        valueFrom: `arn:aws:secretsmanager:sa-east-1:${ACCOUNT}:secret:gad-test-db-url-AbCdEf`,
      },
    ]);
    assert.equal(
      c.environment.some((e: { name: string }) => e.name.startsWith("PG")),
      false,
    );
    const egress = mocks.named(
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
      "gad-test-backup-db",
    );
    assert.equal(egress.inputs.cidrIpv4, "0.0.0.0/0");
    assert.equal(egress.inputs.fromPort, 5432);
  });

  it("drill task: the job's drill command after a healthy scratch PostGIS of the same major version", async () => {
    build();
    await settle();
    const task = definition("gad-test-drill");
    assert.deepEqual(
      [task.cpu, task.memory, task.ephemeralStorage],
      ["1024", "4096", { sizeInGib: 50 }],
    );
    const [drill, scratch] = containers("gad-test-drill");
    assert.deepEqual(drill.command, [
      "drill",
      "--target",
      "postgresql://postgres@127.0.0.1:5432/postgres",
    ]);
    assert.deepEqual(drill.dependsOn, [{ containerName: "scratch-db", condition: "HEALTHY" }]);
    assert.deepEqual(drill.secrets, []);
    assert.ok(
      drill.environment.some(
        (e: { name: string; value: string }) =>
          e.name === "DRILL_SANITY_SQL" && e.value === "SELECT version_num FROM alembic_version",
      ),
    );
    assert.ok(
      drill.environment.some(
        (e: { name: string; value: string }) =>
          e.name === "BACKUP_TIMEOUT_SECONDS" && e.value === "10800",
      ),
    );
    assert.equal(drill.image, JOB_IMAGE);
    assert.equal(scratch.image, DRILL_DATABASE_IMAGE);
    assert.equal(scratch.essential, false);
    assert.ok(scratch.command.includes("listen_addresses=127.0.0.1"));
    assert.equal(scratch.healthCheck.command[1], "pg_isready -h 127.0.0.1 -U postgres");
    assert.deepEqual(
      { ...scratch.healthCheck, command: undefined },
      { command: undefined, interval: 5, timeout: 5, retries: 10, startPeriod: 90 },
    );
  });

  it("roles: execution reads only its secrets; backup writes without delete; drill only reads; scheduler is scoped", async () => {
    build();
    await settle();
    const backupExec = policyOf("gad-test-backup-exec");
    assert.deepEqual(backupExec.Statement[1].Resource, [
      CREDENTIALS,
      `arn:aws:secretsmanager:sa-east-1:${ACCOUNT}:secret:rds!db-gad-test-db-XyZ123`,
    ]);
    assert.equal(
      backupExec.Statement[0].Resource,
      `arn:aws:logs:sa-east-1:${ACCOUNT}:log-group:gad-test:log-stream:*`,
    );
    assert.deepEqual(policyOf("gad-test-drill-exec").Statement[1].Resource, [CREDENTIALS]);

    const allowedActions = (doc: { Statement: { Effect: string; Action: string[] }[] }) =>
      doc.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
    const backupTask = policyOf("gad-test-backup-task");
    assert.deepEqual(allowedActions(backupTask), [
      "s3:PutObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
      "s3:ListBucket",
      "kms:GenerateDataKey",
      "kms:Decrypt",
    ]);
    assert.equal(backupTask.Statement[0].Resource, `${BUCKET_ARN}/backups/*`);
    assert.equal(backupTask.Statement[2].Resource, BUCKET_KEY);
    assert.deepEqual(allowedActions(policyOf("gad-test-drill-task")), [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:ListBucket",
      "kms:Decrypt",
    ]);

    const scheduler = policyOf("gad-test-scheduler");
    const families = `arn:aws:ecs:sa-east-1:${ACCOUNT}:task-definition/gad-test`;
    assert.deepEqual(scheduler.Statement[0].Resource, [
      `${families}-backup:*`,
      `${families}-drill:*`,
    ]);
    assert.deepEqual(
      scheduler.Statement[2].Resource,
      ["backup-exec", "backup-task", "drill-exec", "drill-task"].map(
        (r) => `arn:aws:iam::${ACCOUNT}:role/gad-test-${r}`,
      ),
    );
    assert.deepEqual(trustOf("gad-test-scheduler").Statement[0].Condition, {
      StringEquals: { "aws:SourceAccount": ACCOUNT },
      ArnLike: {
        "aws:SourceArn": `arn:aws:scheduler:sa-east-1:${ACCOUNT}:schedule-group/gad-test`,
      },
    });
    assert.deepEqual(trustOf("gad-test-backup-task").Statement[0].Principal, {
      Service: "ecs-tasks.amazonaws.com",
    });
  });

  it("network: tasks admit nothing; backup reaches HTTPS and the database, which admits it", async () => {
    build();
    await settle();
    const groups = mocks.ofType("aws:ec2/securityGroup:SecurityGroup");
    for (const g of groups) assert.equal(g.inputs.ingress, undefined, g.name);
    const egress = mocks
      .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
      .map((r) => [
        r.name,
        r.inputs.fromPort,
        r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId,
      ]);
    assert.deepEqual(egress, [
      ["gad-test-backup-https", 443, "0.0.0.0/0"],
      ["gad-test-drill-https", 443, "0.0.0.0/0"],
      ["gad-test-backup-db", 5432, "gad-test-db-sg-id"],
    ]);
    const ingress = mocks.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs;
    assert.deepEqual(
      [ingress.securityGroupId, ingress.referencedSecurityGroupId, ingress.fromPort],
      ["gad-test-db-sg-id", "gad-test-backup-id", 5432],
    );
  });

  it("alarms: failed stops, freshness over the schedules' window, dead letters, to an encrypted topic", async () => {
    const backup = build();
    await settle();
    assert.equal(backup.rpoHours, 12.5);
    assert.equal(backup.freshnessWindowHours, 16);
    const alarms = mocks.ofType(ALARM).map((a) => a.inputs);
    // The weekly drill's window (168 h + grace) is beyond CloudWatch: no freshness alarm for it.
    assert.deepEqual(
      alarms.map((a) => a.metricName),
      ["BackupSucceeded", "ApproximateNumberOfMessagesVisible"],
    );
    const [freshness, deadLetters] = alarms;
    assert.deepEqual(
      {
        namespace: freshness.namespace,
        dimensions: freshness.dimensions,
        statistic: freshness.statistic,
        period: freshness.period,
        evaluationPeriods: freshness.evaluationPeriods,
        datapointsToAlarm: freshness.datapointsToAlarm,
        threshold: freshness.threshold,
        comparisonOperator: freshness.comparisonOperator,
        treatMissingData: freshness.treatMissingData,
      },
      {
        namespace: "GAD/Backups",
        dimensions: { database: "grupogad", stack: "test" },
        statistic: "Maximum",
        period: 3600,
        evaluationPeriods: 16,
        datapointsToAlarm: 16,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
      },
    );
    const topic = `arn:aws:sns:sa-east-1:${ACCOUNT}:gad-test-alarms`;
    assert.deepEqual(freshness.alarmActions, [topic]);
    assert.deepEqual(deadLetters.dimensions, { QueueName: "gad-test-dead-letters" });
    assert.equal(deadLetters.threshold, 0);
    assert.equal(deadLetters.comparisonOperator, "GreaterThanThreshold");
    assert.equal(mocks.one("aws:sns/topic:Topic").inputs.kmsMasterKeyId, "gad-test-alarms-key-id");
    const subscription = mocks.one("aws:sns/topicSubscription:TopicSubscription").inputs;
    assert.deepEqual([subscription.protocol, subscription.endpoint], ["email", "ops@example.org"]);

    const pattern = JSON.parse(mocks.one("aws:cloudwatch/eventRule:EventRule").inputs.eventPattern);
    const families = `arn:aws:ecs:sa-east-1:${ACCOUNT}:task-definition/gad-test`;
    assert.deepEqual(pattern, {
      source: ["aws.ecs"],
      "detail-type": ["ECS Task State Change"],
      detail: {
        clusterArn: [CLUSTER],
        lastStatus: ["STOPPED"],
        taskDefinitionArn: [{ prefix: `${families}-backup:` }, { prefix: `${families}-drill:` }],
        $or: [
          { stopCode: ["TaskFailedToStart"] },
          { containers: { name: ["backup", "drill"], exitCode: [{ "anything-but": 0 }] } },
        ],
      },
    });
    assert.equal(mocks.one("aws:cloudwatch/eventTarget:EventTarget").inputs.arn, topic);
  });

  it("alarm topic: only this rule and this account's alarms publish; its key admits them", async () => {
    build({ alarmEmails: [] });
    await settle();
    assert.equal(mocks.ofType("aws:sns/topicSubscription:TopicSubscription").length, 0);
    const topic = `arn:aws:sns:sa-east-1:${ACCOUNT}:gad-test-alarms`;
    const rule = `arn:aws:events:sa-east-1:${ACCOUNT}:rule/gad-test-alarms-stopped`;
    const policy = JSON.parse(mocks.one("aws:sns/topicPolicy:TopicPolicy").inputs.policy);
    assert.deepEqual(
      policy.Statement.map(
        (st: { Sid: string; Principal: object; Action: unknown; Condition?: object }) => [
          st.Sid,
          st.Principal,
          st.Action,
          st.Condition,
        ],
      ),
      [
        [
          "AccountManages",
          { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          ["sns:GetTopicAttributes", "sns:Subscribe", "sns:Publish"],
          undefined,
        ],
        [
          "StoppedTaskRulePublishes",
          { Service: "events.amazonaws.com" },
          "sns:Publish",
          { ArnEquals: { "aws:SourceArn": rule } },
        ],
        [
          "AccountAlarmsPublish",
          { Service: "cloudwatch.amazonaws.com" },
          "sns:Publish",
          { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        ],
      ],
    );
    assert.ok(policy.Statement.every((st: { Resource: string }) => st.Resource === topic));
    const key = mocks.named("aws:kms/key:Key", "gad-test-alarms-key").inputs;
    assert.equal(key.enableKeyRotation, true);
    const keyPolicy = JSON.parse(key.policy);
    assert.deepEqual(keyPolicy.Statement[1], {
      Sid: "AlarmSourcesPublish",
      Effect: "Allow",
      Principal: { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    const target = mocks.one("aws:cloudwatch/eventTarget:EventTarget").inputs.inputTransformer;
    assert.deepEqual(Object.keys(target.inputPaths).sort(), [
      "code",
      "definition",
      "reason",
      "task",
    ]);
    assert.match(
      target.inputTemplate,
      /^"Scheduled task <definition> stopped \(<code>\): <reason>\./,
    );
  });

  it("the freshness window follows the schedules; a daily drill gets its own alarm", async () => {
    const backup = build({
      backup: { schedules: ["cron(0 */6 * * ? *)"], timeoutMinutes: 60 },
      drill: { schedule: "cron(0 4 * * ? *)", timeoutMinutes: 60 },
    });
    await settle();
    assert.equal(backup.rpoHours, 6);
    const alarms = mocks.ofType(ALARM).map((a) => a.inputs);
    assert.deepEqual(
      alarms.map((a) => [a.metricName, a.evaluationPeriods]),
      [
        ["BackupSucceeded", 9],
        ["DrillSucceeded", 27],
        ["ApproximateNumberOfMessagesVisible", 1],
      ],
    );
  });

  it("prints the exact run-task commands for a backup and a drill now", async () => {
    const backup = build();
    const family = `arn:aws:ecs:sa-east-1:${ACCOUNT}:task-definition/gad-test`;
    assert.equal(
      await valueOf(backup.runBackupCommand),
      `aws ecs run-task --region sa-east-1 --cluster ${CLUSTER} --task-definition ${family}-backup:1 --launch-type FARGATE --count 1 --started-by on-demand --network-configuration 'awsvpcConfiguration={subnets=[subnet-p1,subnet-p2],securityGroups=[gad-test-backup-id],assignPublicIp=DISABLED}'`,
    );
    assert.match(
      await valueOf(backup.runDrillCommand),
      /--task-definition .*gad-test-drill:1 .*securityGroups=\[gad-test-drill-id\]/,
    );
  });

  it("refuses an empty schedule list and schedules that never run, naming the argument", () => {
    assert.throws(
      () => build({ backup: { schedules: [] } }),
      /ScheduledBackup gad-test: backup.schedules must list at least one expression/,
    );
    assert.throws(
      () => build({ backup: { schedules: ["cron(0 1 30 2 ? *)"] } }),
      /backup.schedules .*30 February|backup.schedules .*never/,
    );
    assert.throws(
      () => build({ backup: { schedules: ["cron(0 1 ? * SUN *)"] } }),
      /backup.schedules leave up to 168 h between backups: the freshness alarm would need 172 h, more than CloudWatch evaluates \(168 h\)/,
    );
    assert.throws(
      () => build({ backup: { cpu: 1024, memory: 512 }, drill: { ephemeralStorageGiB: 10 } }),
      /backup.memory is not a valid Fargate memory for cpu 1024.*drill.ephemeralStorageGiB must be from 21 to 200 \(got 10\)/,
    );
  });
});
