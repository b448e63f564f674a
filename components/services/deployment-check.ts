// ECS reports a deployment that its circuit breaker rolled back as "steady" (the old tasks are
// stable again), so `waitForSteadyState` alone lets `pulumi up` succeed on a failed rollout.
// This check runs after the service for each new task definition revision and fails the update
// unless the service's primary deployment runs that revision and completed.
import * as pulumi from "@pulumi/pulumi";

export interface DeploymentCheckInputs {
  readonly region: string;
  readonly cluster: string;
  readonly service: string;
  /** The revision the update asked for. */
  readonly taskDefinitionArn: string;
}

export interface ServiceState {
  readonly deployments?: {
    readonly status?: string;
    readonly taskDefinition?: string;
    readonly rolloutState?: string;
    readonly rolloutStateReason?: string;
  }[];
  readonly events?: { readonly message?: string }[];
}

/** Why the rollout did not land, or undefined when the primary deployment runs `wanted`. */
export function rolloutProblem(
  state: ServiceState | undefined,
  wanted: string,
): string | undefined {
  const primary = state?.deployments?.find((d) => d.status === "PRIMARY");
  if (!primary) return "the service has no primary deployment";
  const recent = (state?.events ?? [])
    .slice(0, 3)
    .map((e) => e.message)
    .filter(Boolean)
    .join(" | ");
  const context = recent ? `; recent events: ${recent}` : "";
  if (primary.taskDefinition !== wanted) {
    return `the deployment of ${wanted} was rolled back: the service runs ${primary.taskDefinition ?? "nothing"}${context}`;
  }
  if (primary.rolloutState === "FAILED") {
    return `the deployment of ${wanted} failed: ${primary.rolloutStateReason ?? "no reason given"}${context}`;
  }
  return undefined;
}

/**
 * Describes the service and says why its rollout of `taskDefinitionArn` did not land, or
 * undefined when it did. AWS_ENDPOINT_URL points the client at an emulator (the tests).
 */
export async function checkRollout(inputs: DeploymentCheckInputs): Promise<string | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-ecs") as typeof import("@aws-sdk/client-ecs");
  const endpoint = process.env.AWS_ENDPOINT_URL || undefined;
  const client = new sdk.ECSClient({ region: inputs.region, endpoint });
  const out = await client.send(
    new sdk.DescribeServicesCommand({ cluster: inputs.cluster, services: [inputs.service] }),
  );
  return rolloutProblem(out.services?.[0], inputs.taskDefinitionArn);
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: DeploymentCheckInputs) {
    const problem = await checkRollout(inputs);
    if (problem) throw new Error(`service ${inputs.service}: ${problem}`);
    return { id: `${inputs.service}@${inputs.taskDefinitionArn}`, outs: inputs };
  },
  async diff(_id: string, olds: DeploymentCheckInputs, news: DeploymentCheckInputs) {
    const replace = olds.taskDefinitionArn !== news.taskDefinitionArn;
    return { changes: replace, replaces: replace ? ["taskDefinitionArn"] : [] };
  },
};

export type DeploymentCheckArgs = {
  [K in keyof DeploymentCheckInputs]: pulumi.Input<DeploymentCheckInputs[K]>;
};

/** Fails the update when the service's rollout of a new revision did not land. */
export class DeploymentCheck extends pulumi.dynamic.Resource {
  constructor(name: string, args: DeploymentCheckArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, args, opts);
  }
}
