import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_BACKUP_LOG_RETENTION_DAYS } from "../../rules/defaults";
import type { TaskSize } from "../../rules/types";
import {
  DRILL_DATABASE_CONTAINER,
  JOB_VOLUMES,
  SCRATCH_PATH,
  drillContainers,
  jobContainer,
} from "./containers";
import { appCredentialPolicy, backupTaskPolicy, drillTaskPolicy } from "./policies";
import { RunTaskOnce } from "../services/run-task-once";
import { arnParts, assumeRolePolicy, executionPolicy, roleWithPolicy } from "../iam";
import type { EnvVar } from "../ecs";
import type { ScheduledBackupArgs } from "./scheduled-backup-args";

/** A provisioning run that has not finished after this long fails the deploy. */
export const PROVISION_TIMEOUT_SECONDS = 600;
/** The provisioning task's size: one short SQL session. */
const PROVISION_SIZE: TaskSize = { cpu: 256, memory: 512, ephemeralStorageGiB: 21 };

/** The job's metric namespace (backup/log.ts). */
export const METRIC_NAMESPACE = "GAD/Backups";

/** One task family as the scheduler and the alarms see it. */
export interface TaskFamily {
  readonly definition: aws.ecs.TaskDefinition;
  readonly securityGroupId: pulumi.Output<string>;
  /** Execution and task role: the ones the scheduler passes to ECS. */
  readonly roleArns: pulumi.Output<string>[];
}

/**
 * The backup and drill task definitions with what they run under: a log group, a security group
 * each (nothing inbound), and least-privilege execution and task roles. Arguments are
 * ScheduledBackup's, already checked by it.
 */
export class BackupTasks extends pulumi.ComponentResource {
  public readonly backup: TaskFamily;
  public readonly drill: TaskFamily;
  /** RDS: the task that keeps the application's database role (provision-app-role). */
  public readonly provision?: TaskFamily;
  /** What must finish before anything connects as the application (its role provisioned). */
  public readonly appRoleReady: pulumi.Resource[] = [];
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: ScheduledBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:backup:BackupTasks", name, {}, opts);
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const db = args.database;
    const account = pulumi.output(args.cluster.clusterArn).apply((arn) => arnParts(arn).account);
    const backupImage = args.images.job;
    const drillDatabaseImage = args.images.drillDatabase;

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
    const backupRoutes = [
      egress(backupSg, "backup-https", 443, https),
      egress(backupSg, "backup-db", db.port, db.egressDestination),
      ...db.allowFrom("backup", backupSg.id),
    ];
    egress(drillSg, "drill-https", 443, https);

    const role = (id: string, trust: pulumi.Input<string>, policy: pulumi.Input<string>) =>
      roleWithPolicy(`${name}-${id}`, trust, policy, tags, this);
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
    /** One job container with the master user's connection (libpq variables, PGPASSWORD). */
    const withMasterConnection = (
      container: string,
      command: readonly string[],
      environment: pulumi.Input<EnvVar[]>,
    ) =>
      pulumi
        .all([
          backupImage,
          args.registryCredentialsArn,
          logs.name,
          environment,
          db.environment,
          db.secrets,
        ])
        .apply(([image, credentials, logGroupName, env, dbEnv, secrets]) => [
          jobContainer(container, command, {
            image,
            registryCredentialsArn: credentials,
            logGroupName,
            region,
            environment: [...env, ...dbEnv],
            secrets,
          }),
        ]);
    const backupDefinition = taskDefinition(
      "backup",
      args.backup,
      backupExec,
      backupTask,
      JOB_VOLUMES,
      withMasterConnection("backup", ["backup"], jobEnvironment(args.backup.timeoutMinutes)),
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

    if (db.provisioning && db.appCredentialsSecretArn) {
      // Before any migration or service connects as the application: its role, run as the
      // master user with the backup task's network and execution role.
      const provisionTask = role(
        "provision-task",
        ecsTasks,
        pulumi
          .all([db.appCredentialsSecretArn, pulumi.all(db.secretKmsKeyArns)])
          .apply(([secretArn, [kmsKeyArn]]) =>
            JSON.stringify(appCredentialPolicy({ secretArn, kmsKeyArn, region })),
          ),
      );
      const definition = taskDefinition(
        "provision",
        PROVISION_SIZE,
        backupExec,
        provisionTask,
        JOB_VOLUMES,
        withMasterConnection(
          "provision",
          ["provision-app-role"],
          db.provisioning.apply((p) => [{ name: "AWS_REGION", value: region }, ...p]),
        ),
      );
      this.provision = {
        definition,
        securityGroupId: backupSg.id,
        roleArns: [backupExec.arn, provisionTask.arn],
      };
      this.appRoleReady.push(
        new RunTaskOnce(
          `${name}-provision`,
          {
            region,
            cluster: args.cluster.clusterArn,
            taskDefinitionArn: definition.arn,
            containerName: "provision",
            subnets: pulumi.all(args.network.taskSubnetIds),
            securityGroups: pulumi.all([backupSg.id]),
            assignPublicIp: args.network.assignPublicIp,
            timeoutSeconds: PROVISION_TIMEOUT_SECONDS,
          },
          { parent: this, dependsOn: [...backupRoutes, ...(args.network.egressReady ?? [])] },
        ),
      );
    }

    this.backup = {
      definition: backupDefinition,
      securityGroupId: backupSg.id,
      roleArns: [backupExec.arn, backupTask.arn],
    };
    this.drill = {
      definition: drillDefinition,
      securityGroupId: drillSg.id,
      roleArns: [drillExec.arn, drillTask.arn],
    };
    this.logGroupName = logs.name;
    this.registerOutputs({
      backupTaskDefinitionArn: backupDefinition.arn,
      drillTaskDefinitionArn: drillDefinition.arn,
    });
  }
}
