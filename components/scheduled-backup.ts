import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_BACKUP_LOG_RETENTION_DAYS,
  DEFAULT_BACKUP_TIMEZONE,
  DEFAULT_DRILL_SCHEDULE,
} from "../config/schema";
import type { TaskSize } from "../config/types";
import { BackupAlarms } from "./backup-alarms";
import {
  JOB_VOLUMES,
  DRILL_DATABASE_CONTAINER,
  SCRATCH_PATH,
  drillContainers,
  jobContainer,
  runTaskCommand,
} from "./backup-containers";
import { arnParts, assumeRolePolicy } from "./iam";
import {
  backupTaskPolicy,
  drillTaskPolicy,
  executionPolicy,
  schedulerPolicy,
} from "./backup-policies";
import {
  SCHEDULE_MAX_EVENT_AGE_MINUTES,
  SCHEDULE_RETRY_ATTEMPTS,
  freshnessWindow,
} from "./backup-timing";
import { scheduledBackupProblems } from "./scheduled-backup-args";
import type { ScheduledBackupArgs } from "./scheduled-backup-args";

export type { ScheduledBackupArgs } from "./scheduled-backup-args";

/** The job's metric namespace (backup/log.ts). */
export const METRIC_NAMESPACE = "GAD/Backups";

/**
 * Backups of the stack's database on ECS Fargate, started by EventBridge Scheduler, watched by
 * alarms, and proven by a weekly restore drill into a scratch PostgreSQL inside the drill task.
 */
export class ScheduledBackup extends pulumi.ComponentResource {
  /** Worst-case hours between two backups: the RPO the schedules give. */
  public readonly rpoHours: number;
  /** Hours without a successful backup before the freshness alarm fires. */
  public readonly freshnessWindowHours: number;
  public readonly backupTaskDefinitionArn: pulumi.Output<string>;
  public readonly drillTaskDefinitionArn: pulumi.Output<string>;
  /** Security group of the backup tasks (the database admits it). */
  public readonly backupSecurityGroupId: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  public readonly alarmTopicArn: pulumi.Output<string>;
  public readonly scheduleGroupName: pulumi.Output<string>;
  /** `aws ecs run-task ...` for a backup now. */
  public readonly runBackupCommand: pulumi.Output<string>;
  /** `aws ecs run-task ...` for a drill now. */
  public readonly runDrillCommand: pulumi.Output<string>;

  constructor(name: string, args: ScheduledBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:backup:ScheduledBackup", name, {}, opts);
    const problems = scheduledBackupProblems(args);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`ScheduledBackup ${name}: ${problems.join("; ")}`, this, true);
    }
    const timezone = args.backup.timezone ?? DEFAULT_BACKUP_TIMEZONE;
    const drillSchedule = args.drill.schedule ?? DEFAULT_DRILL_SCHEDULE;
    const backupWindow = freshnessWindow(
      args.backup.schedules,
      timezone,
      args.backup.timeoutMinutes,
    );
    const drillWindow = freshnessWindow([drillSchedule], timezone, args.drill.timeoutMinutes);
    const tags = args.tags ?? {};
    const backupImage = args.images.job;
    const drillDatabaseImage = args.images.drillDatabase;
    const parent = { parent: this };
    const db = args.database;
    const cluster = pulumi.output(args.clusterArn);
    const account = cluster.apply((arn) => arnParts(arn).account);

    const logs = new aws.cloudwatch.LogGroup(
      name,
      { retentionInDays: args.backup.logRetentionDays ?? DEFAULT_BACKUP_LOG_RETENTION_DAYS, tags },
      parent,
    );
    const securityGroup = (kind: string, description: string) =>
      new aws.ec2.SecurityGroup(
        `${name}-${kind}`,
        { vpcId: args.network.vpcId, description, tags: { ...tags, Name: `${name}-${kind}` } },
        parent,
      );
    const egress = (sg: aws.ec2.SecurityGroup, id: string, port: number, to: object) =>
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-${id}`,
        { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...to },
        parent,
      );
    const backupSg = securityGroup(
      "backup",
      "Backup tasks: no inbound; HTTPS and the database out",
    );
    const drillSg = securityGroup("drill", "Drill tasks: no inbound; HTTPS out");
    const https = { cidrIpv4: "0.0.0.0/0", description: "S3, Secrets Manager, logs, registries" };
    egress(backupSg, "backup-https", 443, https);
    egress(drillSg, "drill-https", 443, https);
    egress(
      backupSg,
      "backup-db",
      db.port,
      db.securityGroupId
        ? { referencedSecurityGroupId: db.securityGroupId, description: "The database" }
        : { cidrIpv4: "0.0.0.0/0", description: "The external database" },
    );
    db.allowFrom("backup", backupSg.id);

    const role = (id: string, trust: pulumi.Input<string>, policy: pulumi.Input<string>) =>
      new aws.iam.Role(
        `${name}-${id}`,
        { assumeRolePolicy: trust, inlinePolicies: [{ name: "least-privilege", policy }], tags },
        parent,
      );
    const ecsTasks = account.apply((a) =>
      JSON.stringify(assumeRolePolicy("ecs-tasks.amazonaws.com", a)),
    );
    const region = args.region;
    const bucketAccess = pulumi
      .all([args.bucket.bucketArn, args.bucket.kmsKeyArn])
      .apply(([bucketArn, kmsKeyArn]) => ({
        bucketArn,
        kmsKeyArn,
        prefix: args.bucket.backupPrefix,
      }));
    const execPolicy = (secretArns: pulumi.Input<string>[], keys: pulumi.Input<string>[]) =>
      pulumi
        .all([logs.arn, pulumi.all(secretArns), pulumi.all(keys)])
        .apply(([logGroupArn, s, k]) =>
          JSON.stringify(executionPolicy({ logGroupArn, secretArns: s, kmsKeyArns: k, region })),
        );
    const backupExec = role(
      "backup-exec",
      ecsTasks,
      execPolicy([args.registryCredentialsArn, ...db.secretArns], db.secretKmsKeyArns),
    );
    const drillExec = role("drill-exec", ecsTasks, execPolicy([args.registryCredentialsArn], []));
    const backupTask = role(
      "backup-task",
      ecsTasks,
      bucketAccess.apply((b) => JSON.stringify(backupTaskPolicy(b))),
    );
    const drillTask = role(
      "drill-task",
      ecsTasks,
      bucketAccess.apply((b) => JSON.stringify(drillTaskPolicy(b))),
    );

    const jobEnvironment = (timeoutMinutes: number) =>
      pulumi.output(args.bucket.bucketName).apply((bucketName) => [
        { name: "BACKUP_DESTINATION", value: `s3://${bucketName}/${args.bucket.backupPrefix}` },
        { name: "AWS_REGION", value: region },
        { name: "BACKUP_STACK", value: args.stack },
        { name: "BACKUP_DATABASE", value: db.databaseName },
        { name: "BACKUP_TIMEOUT_SECONDS", value: String(timeoutMinutes * 60) },
        { name: "BACKUP_METRIC_NAMESPACE", value: METRIC_NAMESPACE },
        { name: "BACKUP_TMPDIR", value: SCRATCH_PATH },
      ]);
    const taskDefinition = (
      id: string,
      size: TaskSize,
      exec: aws.iam.Role,
      task: aws.iam.Role,
      volumes: readonly string[],
      containers: pulumi.Output<object[]>,
    ) =>
      new aws.ecs.TaskDefinition(
        `${name}-${id}`,
        {
          family: `${name}-${id}`,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
          cpu: String(size.cpu),
          memory: String(size.memory),
          ephemeralStorage: { sizeInGib: size.ephemeralStorageGiB },
          executionRoleArn: exec.arn,
          taskRoleArn: task.arn,
          volumes: volumes.map((v) => ({ name: v })),
          containerDefinitions: containers.apply((c) => JSON.stringify(c)),
          tags,
        },
        parent,
      );
    const backupDefinition = taskDefinition(
      "backup",
      args.backup,
      backupExec,
      backupTask,
      JOB_VOLUMES,
      pulumi
        .all([
          backupImage,
          args.registryCredentialsArn,
          logs.name,
          jobEnvironment(args.backup.timeoutMinutes),
          db.environment,
          db.secrets,
        ])
        .apply(([image, credentials, logGroupName, env, dbEnv, secrets]) => [
          jobContainer("backup", ["backup"], {
            image,
            registryCredentialsArn: credentials,
            logGroupName,
            region,
            environment: [...env, ...dbEnv],
            secrets,
          }),
        ]),
    );
    const drillDefinition = taskDefinition(
      "drill",
      args.drill,
      drillExec,
      drillTask,
      [...JOB_VOLUMES, DRILL_DATABASE_CONTAINER],
      pulumi
        .all([
          backupImage,
          drillDatabaseImage,
          args.registryCredentialsArn,
          logs.name,
          jobEnvironment(args.drill.timeoutMinutes),
        ])
        .apply(([image, databaseImage, credentials, logGroupName, env]) =>
          drillContainers(
            {
              image,
              registryCredentialsArn: credentials,
              logGroupName,
              region,
              environment: [
                ...env,
                ...(args.drill.sanitySql
                  ? [{ name: "DRILL_SANITY_SQL", value: args.drill.sanitySql }]
                  : []),
              ],
              secrets: [],
            },
            { image: databaseImage, logGroupName, region },
          ),
        ),
    );

    const deadLetters = new aws.sqs.Queue(
      `${name}-dead-letters`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600, tags },
      parent,
    );
    const group = new aws.scheduler.ScheduleGroup(name, { tags }, parent);
    const families = [backupDefinition.arnWithoutRevision, drillDefinition.arnWithoutRevision];
    // The scheduler may assume its role only for this group's schedules.
    const schedulerTrust = pulumi
      .all([account, group.arn])
      .apply(([a, groupArn]) =>
        JSON.stringify(
          assumeRolePolicy(
            "scheduler.amazonaws.com",
            a,
            `${groupArn.replace(":schedule-group/", ":schedule/")}/*`,
          ),
        ),
      );
    const scheduler = role(
      "scheduler",
      schedulerTrust,
      pulumi
        .all([
          cluster,
          pulumi.all(families),
          pulumi.all([backupExec.arn, backupTask.arn, drillExec.arn, drillTask.arn]),
          deadLetters.arn,
        ])
        .apply(([clusterArn, taskFamilies, roleArns, deadLetterQueueArn]) =>
          JSON.stringify(
            schedulerPolicy({ clusterArn, taskFamilies, roleArns, deadLetterQueueArn }),
          ),
        ),
    );
    const schedule = (
      id: string,
      expression: string,
      description: string,
      definition: aws.ecs.TaskDefinition,
      sg: aws.ec2.SecurityGroup,
    ) =>
      new aws.scheduler.Schedule(
        `${name}-${id}`,
        {
          groupName: group.name,
          description,
          scheduleExpression: expression,
          scheduleExpressionTimezone: timezone,
          flexibleTimeWindow: { mode: "OFF" },
          state: "ENABLED",
          target: {
            arn: cluster,
            roleArn: scheduler.arn,
            deadLetterConfig: { arn: deadLetters.arn },
            retryPolicy: {
              maximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
              maximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE_MINUTES * 60,
            },
            ecsParameters: {
              taskDefinitionArn: definition.arn,
              taskCount: 1,
              ...(args.backup.spot
                ? { capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }
                : { launchType: "FARGATE" }),
              platformVersion: "LATEST",
              networkConfiguration: {
                subnets: args.network.taskSubnetIds,
                securityGroups: [sg.id],
                assignPublicIp: args.network.assignPublicIp,
              },
              propagateTags: "TASK_DEFINITION",
              enableEcsManagedTags: true,
            },
          },
        },
        parent,
      );
    args.backup.schedules.forEach((expression, i) =>
      schedule(
        `backup-${i + 1}`,
        expression,
        `Backup of ${db.databaseName} (${args.stack})`,
        backupDefinition,
        backupSg,
      ),
    );
    schedule(
      "drill",
      drillSchedule,
      `Restore drill of ${db.databaseName} (${args.stack})`,
      drillDefinition,
      drillSg,
    );

    const dimensions = { database: db.databaseName, stack: args.stack };
    const alarms = new BackupAlarms(
      `${name}-alarms`,
      {
        clusterArn: cluster,
        taskFamilies: families,
        jobContainers: ["backup", "drill"],
        deadLetterQueueName: deadLetters.name,
        emails: args.alarmEmails,
        freshness: [
          {
            label: "backup",
            metricName: "BackupSucceeded",
            windowHours: backupWindow.hours,
            rpoHours: backupWindow.rpoHours,
          },
          // CloudWatch cannot look back over more than seven days: a weekly drill is watched
          // by its failed-stop rule and the dead-letter queue only.
          ...(drillWindow.alarmable
            ? [
                {
                  label: "drill",
                  metricName: "DrillSucceeded",
                  windowHours: drillWindow.hours,
                  rpoHours: drillWindow.rpoHours,
                },
              ]
            : []),
        ].map((check) => ({ ...check, namespace: METRIC_NAMESPACE, dimensions })),
        tags,
      },
      parent,
    );

    const command = (definition: aws.ecs.TaskDefinition, sg: aws.ec2.SecurityGroup) =>
      pulumi
        .all([cluster, definition.arn, pulumi.all(args.network.taskSubnetIds), sg.id])
        .apply(([clusterArn, taskDefinition, subnets, sgId]) =>
          runTaskCommand({
            region,
            cluster: clusterArn,
            taskDefinition,
            subnets,
            securityGroups: [sgId],
            assignPublicIp: args.network.assignPublicIp,
          }),
        );

    this.rpoHours = backupWindow.rpoHours;
    this.freshnessWindowHours = backupWindow.hours;
    this.backupTaskDefinitionArn = backupDefinition.arn;
    this.drillTaskDefinitionArn = drillDefinition.arn;
    this.backupSecurityGroupId = backupSg.id;
    this.logGroupName = logs.name;
    this.alarmTopicArn = alarms.topicArn;
    this.scheduleGroupName = group.name;
    this.runBackupCommand = command(backupDefinition, backupSg);
    this.runDrillCommand = command(drillDefinition, drillSg);
    this.registerOutputs({
      backupTaskDefinitionArn: this.backupTaskDefinitionArn,
      drillTaskDefinitionArn: this.drillTaskDefinitionArn,
      alarmTopicArn: this.alarmTopicArn,
      runBackupCommand: this.runBackupCommand,
      runDrillCommand: this.runDrillCommand,
    });
  }
}
