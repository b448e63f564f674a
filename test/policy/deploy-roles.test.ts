// The AWS calls that run under the deploy roles, proven allowed by simulation: the program's
// dynamic providers (migration gate, rollout check, secret values) under the infrastructure
// deploy role during `pulumi up`, and the migration and `ops verify` (the rollout check) under
// the application's deploy role. The calls are read from the providers' own source (every SDK
// command they construct), so a new call without its permission fails here.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { decide, inlinePolicies } from "../support/iam";
import { useProgram } from "../support/program";
import { ROOT } from "../support/stack-files";

const ACCOUNT = "123456789012";
const REGION = "sa-east-1";
const ADMIN = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/** The SDK commands a source file constructs (`new sdk.XCommand` / `new XCommand`). */
function commandsIn(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  return [...new Set([...text.matchAll(/new (?:sdk\.)?(\w+)Command\(/g)].map((m) => m[1]))].sort();
}

interface Target {
  readonly cluster: string;
  readonly service: string;
  readonly taskDefinition: string;
  readonly roles: string[];
  readonly secret: string;
  readonly stack: string;
}

/** What IAM evaluates for each command (Service Authorization Reference; ECS: RunTask passes the task's roles). */
function needs(command: string, t: Target): [string, string, Record<string, string>][] {
  const task = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${t.cluster.split("/").pop()}/0123456789abcdef`;
  const onCluster = { "ecs:cluster": t.cluster };
  const table: Record<string, [string, string, Record<string, string>][]> = {
    RunTask: [
      ["ecs:RunTask", t.taskDefinition, onCluster],
      ...t.roles.map((r): [string, string, Record<string, string>] => [
        "iam:PassRole",
        r,
        { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
      ]),
    ],
    DescribeTasks: [["ecs:DescribeTasks", task, onCluster]],
    StopTask: [["ecs:StopTask", task, onCluster]],
    DescribeServices: [["ecs:DescribeServices", t.service, onCluster]],
    PutSecretValue: [["secretsmanager:PutSecretValue", t.secret, {}]],
    DescribeSecret: [["secretsmanager:DescribeSecret", t.secret, {}]],
  };
  const found = table[command];
  assert.ok(found, `${command} is not mapped to IAM actions in deploy-roles.test.ts`);
  // The infrastructure role's fence reads the stack tag of what it touches.
  return found.map(([a, r, c]) => [a, r, { ...c, "aws:ResourceTag/stack": t.stack }]);
}

describe("deploy roles, by simulation of the calls they make", function () {
  this.timeout(60_000);
  const { mocks, run } = useProgram();

  const PROVIDERS = {
    migration: "components/services/run-task-once.ts",
    rollout: "components/services/deployment-check.ts",
    secrets: "components/secret-value.ts",
  };

  it("reads the calls from the providers' source", () => {
    assert.deepEqual(commandsIn(PROVIDERS.migration), ["DescribeTasks", "RunTask", "StopTask"]);
    assert.deepEqual(commandsIn(PROVIDERS.rollout), ["DescribeServices"]);
    assert.deepEqual(commandsIn(PROVIDERS.secrets), ["DescribeSecret", "PutSecretValue"]);
  });

  for (const stack of ["staging", "production"]) {
    it(`${stack}: the infrastructure deploy role may make every call of the program's dynamic providers; the application's, those of its migration and ops verify`, async () => {
      await run(stack);
      const role = (name: string) => mocks.named("aws:iam/role:Role", name);
      const clusterArn = mocks.named("aws:ecs/cluster:Cluster", `gad-${stack}`).state.arn;
      const migrate = mocks.named(
        "aws:ecs/taskDefinition:TaskDefinition",
        `gad-${stack}-api-migrate`,
      );
      const target: Target = {
        cluster: clusterArn,
        service: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/gad-${stack}/gad-${stack}-api`,
        taskDefinition: `${migrate.state.arnWithoutRevision ?? migrate.state.arn.replace(/:\d+$/, "")}:7`,
        roles: [`gad-${stack}-api-exec`, `gad-${stack}-api-task`].map((r) => role(r).state.arn),
        secret: mocks.named("aws:secretsmanager/secret:Secret", `gad-${stack}-appSecretKey`).state
          .arn,
        stack,
      };
      const infra = [...inlinePolicies(role(`gad-${stack}-gad-infra-deploy`).inputs), ADMIN];
      const app = inlinePolicies(role(`gad-${stack}-grupo-gad-deploy`).inputs);
      const refused: string[] = [];
      const check = async (who: string, policies: object[], files: string[]) => {
        for (const file of files)
          for (const command of commandsIn(file))
            for (const [action, resource, context] of needs(command, target)) {
              const decision = await decide(policies, action, resource, context);
              if (decision !== "Allowed")
                refused.push(`${who}: ${command} → ${action} on ${resource}: ${decision}`);
            }
      };
      await check("infrastructure deploy role", infra, Object.values(PROVIDERS));
      await check("application deploy role", app, [PROVIDERS.migration, PROVIDERS.rollout]);
      assert.deepEqual(refused, []);
      // Not vacuous: the application's role may not run the backup family, nor pass its roles.
      const backup = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/gad-${stack}-backup:3`;
      assert.equal(
        await decide(app, "ecs:RunTask", backup, { "ecs:cluster": clusterArn }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await decide(app, "iam:PassRole", role(`gad-${stack}-backup-task`).state.arn, {
          "iam:PassedToService": "ecs-tasks.amazonaws.com",
        }),
        "ImplicitlyDenied",
      );
    });
  }
});
