// ECS task helpers shared by the backups and the services: container variables and secrets,
// log configuration, and the `aws ecs run-task` line an operator runs for a one-off task.
import * as pulumi from "@pulumi/pulumi";

/** A container environment variable, as ECS task definitions name them. */
export interface EnvVar {
  readonly name: string;
  readonly value: string;
}
/** A container secret: the variable and the Secrets Manager reference ECS resolves at start. */
export interface SecretVar {
  readonly name: string;
  readonly valueFrom: string;
}

/** Log lines to the task's group, one stream per container. */
export function awslogs(group: string, region: string, prefix: string) {
  return {
    logDriver: "awslogs",
    options: {
      "awslogs-group": group,
      "awslogs-region": region,
      "awslogs-stream-prefix": prefix,
    },
  };
}

export interface RunTaskCommandArgs {
  readonly region: string;
  readonly cluster: string;
  /** Task definition ARN (with revision): exactly what the schedule runs. */
  readonly taskDefinition: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: boolean;
}

/** The `aws ecs run-task` command line that starts one run on demand, on regular Fargate. */
export function runTaskCommand(a: RunTaskCommandArgs): string {
  const network = `awsvpcConfiguration={subnets=[${a.subnets.join(",")}],securityGroups=[${a.securityGroups.join(",")}],assignPublicIp=${a.assignPublicIp ? "ENABLED" : "DISABLED"}}`;
  return [
    "aws ecs run-task",
    `--region ${a.region}`,
    `--cluster ${a.cluster}`,
    `--task-definition ${a.taskDefinition}`,
    "--launch-type FARGATE",
    "--count 1",
    "--started-by on-demand",
    `--network-configuration '${network}'`,
  ].join(" ");
}

/** runTaskCommand of resources still being created: the command once their ids are known. */
export function runTaskCommandOutput(a: {
  readonly region: string;
  readonly cluster: pulumi.Input<string>;
  readonly taskDefinition: pulumi.Input<string>;
  readonly subnets: pulumi.Input<string>[];
  readonly securityGroup: pulumi.Input<string>;
  readonly assignPublicIp: boolean;
}): pulumi.Output<string> {
  return pulumi
    .all([a.cluster, a.taskDefinition, pulumi.all(a.subnets), a.securityGroup])
    .apply(([cluster, taskDefinition, subnets, sg]) =>
      runTaskCommand({ ...a, cluster, taskDefinition, subnets, securityGroups: [sg] }),
    );
}
