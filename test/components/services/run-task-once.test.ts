import { strict as assert } from "assert";
import {
  EcsCalls,
  RunTaskInputs,
  TaskState,
  runToCompletion,
  verdictOf,
} from "../../../components/services/run-task-once";

const INPUT: RunTaskInputs = {
  region: "sa-east-1",
  cluster: "arn:aws:ecs:sa-east-1:123456789012:cluster/gad-test",
  taskDefinitionArn: "arn:aws:ecs:sa-east-1:123456789012:task-definition/gad-test-api-migrate:7",
  containerName: "api",
  subnets: ["subnet-1"],
  securityGroups: ["sg-1"],
  assignPublicIp: false,
  timeoutSeconds: 60,
};
const TASK = "arn:aws:ecs:sa-east-1:123456789012:task/gad-test/abc";

/** An ECS that reports `states` one describe call at a time, and records what it was asked. */
function fakeEcs(states: TaskState[], start: { failure?: string } = {}) {
  const calls: string[] = [];
  const ecs: EcsCalls = {
    async runTask(input) {
      calls.push(`run ${input.taskDefinitionArn}`);
      return start.failure ? { failure: start.failure } : { task: { taskArn: TASK } };
    },
    async describeTask(_cluster, taskArn) {
      calls.push(`describe ${taskArn}`);
      return states.shift() ?? { taskArn, lastStatus: "RUNNING" };
    },
    async stopTask(_cluster, taskArn, reason) {
      calls.push(`stop ${taskArn}: ${reason}`);
    },
  };
  return { ecs, calls };
}

const noWait = { pollMs: 1, sleep: async () => undefined };

describe("RunTaskOnce (migration gate)", () => {
  it("waits for the task to stop and passes when the container exited 0", async () => {
    const { ecs, calls } = fakeEcs([
      { lastStatus: "PROVISIONING" },
      { lastStatus: "RUNNING" },
      { lastStatus: "STOPPED", containers: [{ name: "api", exitCode: 0 }] },
    ]);
    assert.equal(await runToCompletion(ecs, INPUT, noWait), TASK);
    assert.deepEqual(calls, [
      `run ${INPUT.taskDefinitionArn}`,
      ...Array(3).fill(`describe ${TASK}`),
    ]);
  });

  it("fails the deploy when the migration exits non-zero, saying why", async () => {
    const { ecs } = fakeEcs([
      {
        lastStatus: "STOPPED",
        stoppedReason: "Essential container in task exited",
        containers: [{ name: "api", exitCode: 1 }],
      },
    ]);
    await assert.rejects(
      runToCompletion(ecs, INPUT, noWait),
      new RegExp(
        `^Error: task ${TASK} failed: api exited 1 \\(Essential container in task exited\\); read its log stream$`,
      ),
    );
  });

  it("fails when the task cannot start or its container never ran", async () => {
    const { ecs } = fakeEcs([], { failure: "RESOURCE:ENI capacity" });
    await assert.rejects(
      runToCompletion(ecs, INPUT, noWait),
      /could not start .*migrate:7: RESOURCE:ENI capacity/,
    );
    const pull = fakeEcs([
      {
        lastStatus: "STOPPED",
        stoppedReason: "CannotPullContainerError: pull access denied",
        containers: [{ name: "api" }],
      },
    ]);
    await assert.rejects(
      runToCompletion(pull.ecs, INPUT, noWait),
      /api did not run \(CannotPullContainerError: pull access denied\)/,
    );
  });

  it("stops a task that outlives its timeout, and fails", async () => {
    let clock = 0;
    const { ecs, calls } = fakeEcs([]);
    await assert.rejects(
      runToCompletion(ecs, INPUT, {
        pollMs: 1,
        now: () => clock,
        sleep: async () => {
          clock += 20_000;
        },
      }),
      /did not finish within 60 s; stopped it/,
    );
    assert.equal(calls.at(-1), `stop ${TASK}: timed out during pulumi up`);
  });

  it("judges only the named container", () => {
    const task = {
      containers: [
        { name: "sidecar", exitCode: 137 },
        { name: "api", exitCode: 0 },
      ],
    };
    assert.equal(verdictOf(task, "api"), undefined);
    assert.equal(verdictOf(task, "sidecar"), "sidecar exited 137");
  });
});
