// Runs an ECS task to completion during `pulumi up` and fails the update when it does not exit
// 0: the migration gate. Pulumi runs it once per task definition revision (a new image makes a
// new revision), before the service that depends on it rolls.
import * as pulumi from "@pulumi/pulumi";

export interface RunTaskInputs {
  readonly region: string;
  readonly cluster: string;
  /** Task definition ARN with revision: a new revision runs the task again. */
  readonly taskDefinitionArn: string;
  /** The container whose exit code decides. */
  readonly containerName: string;
  readonly subnets: string[];
  readonly securityGroups: string[];
  readonly assignPublicIp: boolean;
  /** Give up (and stop the task) after this long. */
  readonly timeoutSeconds: number;
}

export interface StoppedContainer {
  readonly name?: string;
  readonly exitCode?: number;
  readonly reason?: string;
}
export interface TaskState {
  readonly taskArn?: string;
  readonly lastStatus?: string;
  readonly stoppedReason?: string;
  readonly containers?: StoppedContainer[];
}

/** The two ECS calls the gate needs (an ECSClient adapter, or a fake in tests). */
export interface EcsCalls {
  runTask(input: RunTaskInputs): Promise<{ task?: TaskState; failure?: string }>;
  describeTask(cluster: string, taskArn: string): Promise<TaskState | undefined>;
  stopTask(cluster: string, taskArn: string, reason: string): Promise<void>;
}

/** What a finished run says: the task's ARN, or why the deploy must stop. */
export function verdictOf(task: TaskState, containerName: string): string | undefined {
  const container = task.containers?.find((c) => c.name === containerName);
  if (container?.exitCode === 0) return undefined;
  const exit = container?.exitCode === undefined ? "did not run" : `exited ${container.exitCode}`;
  const why = [container?.reason, task.stoppedReason].filter(Boolean).join("; ");
  return `${containerName} ${exit}${why ? ` (${why})` : ""}`;
}

/**
 * Starts the task and polls until it stops. Resolves with the task ARN when the container
 * exited 0; rejects with one line naming the task and why otherwise (or on timeout, after
 * stopping it).
 */
export async function runToCompletion(
  ecs: EcsCalls,
  input: RunTaskInputs,
  opts: { pollMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
): Promise<string> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const pollMs = opts.pollMs ?? 10_000;
  const started = await ecs.runTask(input);
  const taskArn = started.task?.taskArn;
  if (!taskArn) {
    throw new Error(`could not start ${input.taskDefinitionArn}: ${started.failure ?? "no task"}`);
  }
  const deadline = now() + input.timeoutSeconds * 1000;
  for (;;) {
    const task = await ecs.describeTask(input.cluster, taskArn);
    if (task?.lastStatus === "STOPPED") {
      const problem = verdictOf(task, input.containerName);
      if (problem) throw new Error(`task ${taskArn} failed: ${problem}; read its log stream`);
      return taskArn;
    }
    if (now() >= deadline) {
      await ecs.stopTask(input.cluster, taskArn, "timed out during pulumi up");
      throw new Error(
        `task ${taskArn} did not finish within ${input.timeoutSeconds} s; stopped it`,
      );
    }
    await sleep(pollMs);
  }
}

/** ECSClient behind EcsCalls; loaded inside the provider so only it needs the SDK. */
function sdkCalls(region: string): EcsCalls {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-ecs") as typeof import("@aws-sdk/client-ecs");
  const client = new sdk.ECSClient({ region });
  return {
    async runTask(input) {
      const out = await client.send(
        new sdk.RunTaskCommand({
          cluster: input.cluster,
          taskDefinition: input.taskDefinitionArn,
          launchType: "FARGATE",
          count: 1,
          startedBy: "pulumi-up",
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: input.subnets,
              securityGroups: input.securityGroups,
              assignPublicIp: input.assignPublicIp ? "ENABLED" : "DISABLED",
            },
          },
        }),
      );
      const failure = out.failures?.map((f) => `${f.reason ?? ""} ${f.detail ?? ""}`.trim());
      return { task: out.tasks?.[0], failure: failure?.join("; ") };
    },
    async describeTask(cluster, taskArn) {
      const out = await client.send(new sdk.DescribeTasksCommand({ cluster, tasks: [taskArn] }));
      return out.tasks?.[0];
    },
    async stopTask(cluster, taskArn, reason) {
      await client.send(new sdk.StopTaskCommand({ cluster, task: taskArn, reason }));
    },
  };
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: RunTaskInputs) {
    const taskArn = await runToCompletion(sdkCalls(inputs.region), inputs);
    return { id: taskArn, outs: { ...inputs, taskArn } };
  },
  async diff(_id: string, olds: RunTaskInputs, news: RunTaskInputs) {
    // Only a new task definition revision (a new image or command) runs the task again.
    const replace = olds.taskDefinitionArn !== news.taskDefinitionArn;
    return { changes: replace, replaces: replace ? ["taskDefinitionArn"] : [] };
  },
};

export type RunTaskOnceArgs = {
  [K in keyof RunTaskInputs]: pulumi.Input<RunTaskInputs[K]>;
};

/** Runs a task once per task definition revision; the update fails when it does not exit 0. */
export class RunTaskOnce extends pulumi.dynamic.Resource {
  public readonly taskArn!: pulumi.Output<string>;

  constructor(name: string, args: RunTaskOnceArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, taskArn: undefined }, opts);
  }
}
