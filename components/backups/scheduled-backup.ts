import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_BACKUP_TIMEZONE, DEFAULT_DRILL_SCHEDULE } from "../../rules/defaults";
import { BackupAlarms } from "./alarms";
import { runTaskCommandOutput } from "../ecs";
import { schedulerPolicy } from "./policies";
import { BackupTasks, METRIC_NAMESPACE, TaskFamily } from "./tasks";
import {
  SCHEDULE_MAX_EVENT_AGE_MINUTES,
  SCHEDULE_RETRY_ATTEMPTS,
  freshnessWindow,
} from "../../rules/backup-timing";
import { arnParts, assumeRolePolicy, roleWithPolicy } from "../iam";
import { scheduledBackupProblems } from "./scheduled-backup-args";
import type { ScheduledBackupArgs } from "./scheduled-backup-args";

export type { ScheduledBackupArgs } from "./scheduled-backup-args";
export { METRIC_NAMESPACE } from "./tasks";

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
  /** What must finish before anything connects as the application (its database role). */
  public readonly appRoleReady: pulumi.Resource[];
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
    const parent = { parent: this };
    const db = args.database;
    const cluster = pulumi.output(args.cluster.clusterArn);
    const account = cluster.apply((arn) => arnParts(arn).account);

    const tasks = new BackupTasks(name, args, parent);
    const { backup, drill } = tasks;
    this.appRoleReady = tasks.appRoleReady;

    const deadLetters = new aws.sqs.Queue(
      `${name}-dead-letters`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600, tags },
      parent,
    );
    const group = new aws.scheduler.ScheduleGroup(name, { tags }, parent);
    const families = [backup, drill].map((t) => t.definition.arnWithoutRevision);
    // The scheduler may assume its role only for this group's schedules: Scheduler presents the
    // schedule group's ARN as the source (not the schedule's).
    const schedulerTrust = pulumi
      .all([account, group.arn])
      .apply(([a, groupArn]) =>
        JSON.stringify(assumeRolePolicy("scheduler.amazonaws.com", a, groupArn)),
      );
    const scheduler = roleWithPolicy(
      `${name}-scheduler`,
      schedulerTrust,
      pulumi
        .all([
          cluster,
          pulumi.all(families),
          pulumi.all([...backup.roleArns, ...drill.roleArns]),
          deadLetters.arn,
        ])
        .apply(([clusterArn, taskFamilies, roleArns, deadLetterQueueArn]) =>
          JSON.stringify(
            schedulerPolicy({ clusterArn, taskFamilies, roleArns, deadLetterQueueArn }),
          ),
        ),
      tags,
      this,
    );
    const schedule = (id: string, expression: string, description: string, family: TaskFamily) =>
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
              taskDefinitionArn: family.definition.arn,
              taskCount: 1,
              ...(args.backup.spot
                ? { capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }
                : { launchType: "FARGATE" }),
              platformVersion: "LATEST",
              networkConfiguration: {
                subnets: args.network.taskSubnetIds,
                securityGroups: [family.securityGroupId],
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
        backup,
      ),
    );
    schedule("drill", drillSchedule, `Restore drill of ${db.databaseName} (${args.stack})`, drill);

    const dimensions = { database: db.databaseName, stack: args.stack };
    new BackupAlarms(
      `${name}-alarms`,
      {
        clusterArn: cluster,
        taskFamilies: families,
        jobContainers: ["backup", "drill"],
        deadLetterQueueName: deadLetters.name,
        topic: args.alarmTopic,
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

    const command = (family: TaskFamily) =>
      runTaskCommandOutput({
        region: args.region,
        cluster,
        taskDefinition: family.definition.arn,
        subnets: args.network.taskSubnetIds,
        securityGroup: family.securityGroupId,
        assignPublicIp: args.network.assignPublicIp,
      });

    this.rpoHours = backupWindow.rpoHours;
    this.freshnessWindowHours = backupWindow.hours;
    this.backupTaskDefinitionArn = backup.definition.arn;
    this.drillTaskDefinitionArn = drill.definition.arn;
    this.backupSecurityGroupId = backup.securityGroupId;
    this.logGroupName = tasks.logGroupName;
    this.scheduleGroupName = group.name;
    this.runBackupCommand = command(backup);
    this.runDrillCommand = command(drill);
    this.registerOutputs({
      backupTaskDefinitionArn: this.backupTaskDefinitionArn,
      drillTaskDefinitionArn: this.drillTaskDefinitionArn,
      runBackupCommand: this.runBackupCommand,
      runDrillCommand: this.runDrillCommand,
    });
  }
}
