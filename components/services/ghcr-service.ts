import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_BACKUP_LOG_RETENTION_DAYS } from "../../rules/defaults";
import {
  arnParts,
  assumeRolePolicy,
  execSessionPolicy,
  executionPolicy,
  roleWithPolicy,
} from "../iam";
import { DeploymentCheck } from "./deployment-check";
import { RunTaskOnce } from "./run-task-once";
import { serviceAlarms } from "./alarms";
import { autoscaleService } from "./scaling";
import type { GhcrServiceArgs } from "./ghcr-service-args";
import { MIGRATION_TIMEOUT_SECONDS } from "./ghcr-service-args";
import { serviceContainer, volumeName } from "./container";
import { runTaskCommandOutput } from "../ecs";

export type { GhcrServiceArgs, LoadBalancerRef } from "./ghcr-service-args";
export { MIGRATION_TIMEOUT_SECONDS } from "./ghcr-service-args";

/**
 * One Fargate service from a GHCR image pinned by digest: least-privilege roles, a read-only
 * root with writable volumes, secrets from Secrets Manager, a deployment circuit breaker with
 * rollback that `pulumi up` waits for, autoscaling, and — with a migration command — a one-off
 * migration task that must succeed before a new image rolls.
 */
export class GhcrService extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly taskDefinitionArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly migrationTaskDefinitionArn?: pulumi.Output<string>;
  /** The migration's task definition without revision (what a deploy role may run). */
  public readonly migrationFamilyArn?: pulumi.Output<string>;
  /** The roles its tasks run with (a deploy that runs the migration passes them). */
  public readonly roleArns: pulumi.Output<string>[];
  public readonly logGroupArn: pulumi.Output<string>;
  /** `aws ecs run-task ...` that runs the migration by hand. */
  public readonly runMigrationCommand?: pulumi.Output<string>;

  constructor(name: string, args: GhcrServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:web:GhcrService", name, {}, opts);
    const s = args.service;
    const problems: string[] = [];
    if (s.database && !args.database)
      problems.push("database is required: the service has database: true");
    if (s.public && !args.loadBalancer)
      problems.push("loadBalancer is required: the service is public");
    for (const variable of Object.keys(s.secrets)) {
      if (!(variable in args.secretArns)) problems.push(`secretArns lacks ${variable}`);
    }
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`GhcrService ${name}: ${problems.join("; ")}`, this, true);
    }
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const db = s.database ? args.database : undefined;
    const lb = s.public ? args.loadBalancer : undefined;
    const account = pulumi.output(args.cluster.clusterArn).apply((arn) => arnParts(arn).account);

    const logs = new aws.cloudwatch.LogGroup(
      name,
      { retentionInDays: args.logRetentionDays ?? DEFAULT_BACKUP_LOG_RETENTION_DAYS, tags },
      parent,
    );
    const sg = new aws.ec2.SecurityGroup(
      `${name}-tasks`,
      {
        vpcId: args.network.vpcId,
        description: lb
          ? `${s.name}: port ${s.port} from the load balancer only`
          : `${s.name}: nothing inbound`,
        tags: { ...tags, Name: `${name}-tasks` },
      },
      parent,
    );
    if (lb && s.port !== undefined) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-from-lb`,
        {
          securityGroupId: sg.id,
          referencedSecurityGroupId: lb.securityGroupId,
          ipProtocol: "tcp",
          fromPort: s.port,
          toPort: s.port,
          description: "The load balancer",
        },
        parent,
      );
    }
    const ready: pulumi.Resource[] = [...(args.network.egressReady ?? [])];
    const egress = (id: string, port: number, to: object) =>
      ready.push(
        new aws.vpc.SecurityGroupEgressRule(
          `${name}-${id}`,
          { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...to },
          parent,
        ),
      );
    egress("https", 443, { cidrIpv4: "0.0.0.0/0", description: "GHCR, AWS APIs, HTTPS APIs" });
    if (db) {
      ready.push(...(args.databaseReady ?? []));
      egress("db", db.port, db.egressDestination);
      ready.push(...db.allowFrom(s.name, sg.id));
    }
    if ("REDIS_URL" in s.secrets)
      egress("redis", 6379, { cidrIpv4: "0.0.0.0/0", description: "Redis" });

    const ecsTasks = account.apply((a) =>
      JSON.stringify(assumeRolePolicy("ecs-tasks.amazonaws.com", a)),
    );
    const ownSecrets = Object.values(args.secretArns);
    const executionRole = roleWithPolicy(
      `${name}-exec`,
      ecsTasks,
      pulumi
        .all([
          logs.arn,
          pulumi.all([args.registryCredentialsArn, ...ownSecrets, ...(db?.appSecretArns ?? [])]),
          pulumi.all(db?.secretKmsKeyArns ?? []),
        ])
        .apply(([logGroupArn, secretArns, kmsKeyArns]) =>
          JSON.stringify(
            executionPolicy({ logGroupArn, secretArns, kmsKeyArns, region: args.region }),
          ),
        ),
      tags,
      this,
    );
    // The application's own AWS identity; it may open ECS Exec sessions only when they are on.
    const taskRole = s.execCommand
      ? roleWithPolicy(
          `${name}-task`,
          ecsTasks,
          pulumi
            .output(args.cluster.execLogGroupArn)
            .apply((arn) => JSON.stringify(execSessionPolicy(arn))),
          tags,
          this,
        )
      : new aws.iam.Role(
          `${name}-task`,
          { assumeRolePolicy: ecsTasks, inlinePolicies: [], tags },
          { parent: this },
        );

    const container = (command?: readonly string[]) =>
      pulumi
        .all([
          args.image,
          logs.name,
          args.registryCredentialsArn,
          db?.appEnvironment ?? [],
          db?.appSecrets ?? [],
          pulumi.all(args.secretArns as Record<string, pulumi.Input<string>>),
        ])
        .apply(([image, logGroupName, credentials, dbEnv, dbSecrets, secretArns]) =>
          JSON.stringify([
            serviceContainer({
              service: s,
              image,
              stack: args.stack,
              region: args.region,
              logGroupName,
              registryCredentialsArn: credentials,
              databaseEnvironment: dbEnv,
              databaseSecrets: dbSecrets,
              secretArns: secretArns as Record<string, string>,
              command,
            }),
          ]),
        );
    const taskDefinition = (id: string, command?: readonly string[]) =>
      new aws.ecs.TaskDefinition(
        id,
        {
          family: id,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
          cpu: String(s.cpu),
          memory: String(s.memory),
          executionRoleArn: executionRole.arn,
          taskRoleArn: taskRole.arn,
          volumes: s.writablePaths.map((path) => ({ name: volumeName(path) })),
          containerDefinitions: container(command),
          tags,
        },
        parent,
      );
    const definition = taskDefinition(name);
    const network = {
      subnets: args.network.taskSubnetIds,
      securityGroups: [sg.id],
      assignPublicIp: args.network.assignPublicIp,
    };

    const gates: pulumi.Resource[] = [];
    if (s.migrationCommand) {
      const migration = taskDefinition(`${name}-migrate`, s.migrationCommand);
      if (args.runMigrations ?? true) {
        gates.push(
          new RunTaskOnce(
            `${name}-migrate`,
            {
              region: args.region,
              cluster: args.cluster.clusterArn,
              taskDefinitionArn: migration.arn,
              containerName: s.name,
              subnets: pulumi.all(args.network.taskSubnetIds),
              securityGroups: pulumi.all([sg.id]),
              assignPublicIp: args.network.assignPublicIp,
              timeoutSeconds: MIGRATION_TIMEOUT_SECONDS,
            },
            // Started before its routes and rules exist, the task could not pull or connect.
            { parent: this, dependsOn: ready },
          ),
        );
      }
      this.migrationTaskDefinitionArn = migration.arn;
      this.migrationFamilyArn = migration.arnWithoutRevision;
      this.runMigrationCommand = runTaskCommandOutput({
        region: args.region,
        cluster: args.cluster.clusterArn,
        taskDefinition: migration.arn,
        subnets: args.network.taskSubnetIds,
        securityGroup: sg.id,
        assignPublicIp: args.network.assignPublicIp,
      });
    }

    const scales = s.autoscaling.maxCount > s.autoscaling.minCount;
    const service = new aws.ecs.Service(
      name,
      {
        cluster: args.cluster.clusterArn,
        taskDefinition: definition.arn,
        desiredCount: s.desiredCount,
        ...(s.spot
          ? { capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }
          : { launchType: "FARGATE" }),
        platformVersion: "LATEST",
        networkConfiguration: network,
        ...(lb && s.port !== undefined
          ? {
              loadBalancers: [
                { targetGroupArn: lb.targetGroupArn, containerName: s.name, containerPort: s.port },
              ],
              healthCheckGracePeriodSeconds: args.rollout.healthCheckGracePeriodSeconds,
            }
          : {}),
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        waitForSteadyState: true,
        // Exec needs a writable root file system (container.ts); off unless the service asks.
        enableExecuteCommand: s.execCommand,
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        tags,
      },
      {
        parent: this,
        dependsOn: [
          ...gates,
          ...(db ? (args.databaseReady ?? []) : []),
          ...(lb && s.port !== undefined ? [lb.listener] : []),
        ],
        // Autoscaling owns the running count between deploys.
        ignoreChanges: scales ? ["desiredCount"] : [],
      },
    );
    if (scales) autoscaleService(name, s, args.cluster.clusterName, service, lb, this);
    // A circuit-breaker rollback ends "steady" too: fail the update unless the new revision runs.
    new DeploymentCheck(
      `${name}-rollout`,
      {
        region: args.region,
        cluster: args.cluster.clusterArn,
        service: service.name,
        taskDefinitionArn: definition.arn,
      },
      { parent: this, dependsOn: [service] },
    );
    if (lb && args.alarms) serviceAlarms(name, lb, args.alarms, tags, this);

    this.serviceName = service.name;
    this.taskDefinitionArn = definition.arn;
    this.securityGroupId = sg.id;
    this.roleArns = [executionRole.arn, taskRole.arn];
    this.logGroupArn = logs.arn;
    this.registerOutputs({
      serviceName: this.serviceName,
      taskDefinitionArn: this.taskDefinitionArn,
    });
  }
}
