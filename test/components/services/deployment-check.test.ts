import { strict as assert } from "assert";
import { rolloutProblem } from "../../../components/services/deployment-check";

const NEW = "arn:aws:ecs:sa-east-1:123456789012:task-definition/gad-production-api:8";
const OLD = "arn:aws:ecs:sa-east-1:123456789012:task-definition/gad-production-api:7";

describe("deployment check", () => {
  it("passes when the primary deployment runs the requested revision", () => {
    assert.equal(
      rolloutProblem(
        { deployments: [{ status: "PRIMARY", taskDefinition: NEW, rolloutState: "COMPLETED" }] },
        NEW,
      ),
      undefined,
    );
  });

  it("fails when the circuit breaker rolled back to the old revision, quoting recent events", () => {
    const problem = rolloutProblem(
      {
        deployments: [{ status: "PRIMARY", taskDefinition: OLD, rolloutState: "COMPLETED" }],
        events: [
          { message: "(service gad-production-api) rolling back to deployment ecs-svc/1" },
          { message: "(service gad-production-api) deployment failed: tasks failed to start." },
          { message: "older" },
          { message: "oldest, not shown" },
        ],
      },
      NEW,
    );
    assert.equal(
      problem,
      `the deployment of ${NEW} was rolled back: the service runs ${OLD}; recent events: (service gad-production-api) rolling back to deployment ecs-svc/1 | (service gad-production-api) deployment failed: tasks failed to start. | older`,
    );
  });

  it("fails on a failed rollout of the right revision, and on a service without deployments", () => {
    assert.match(
      rolloutProblem(
        {
          deployments: [
            {
              status: "PRIMARY",
              taskDefinition: NEW,
              rolloutState: "FAILED",
              rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
            },
          ],
        },
        NEW,
      ) ?? "",
      /failed: ECS deployment circuit breaker: tasks failed to start\.$/,
    );
    assert.equal(rolloutProblem({ deployments: [] }, NEW), "the service has no primary deployment");
    assert.equal(rolloutProblem(undefined, NEW), "the service has no primary deployment");
  });
});
