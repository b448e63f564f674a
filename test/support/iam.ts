// IAM decisions by simulation (@cloud-copilot/iam-simulate), shared by the policy tests.
import { runSimulation } from "@cloud-copilot/iam-simulate";

export const SIMULATED_ACCOUNT = "123456789012";
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/**
 * The decision IAM would make for `action` on `resource` with these identity policies (and the
 * resource's own policy: a KMS key's is always evaluated).
 */
export async function decide(
  policies: readonly object[],
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
  resourcePolicy?: object,
): Promise<Decision> {
  const result = await runSimulation(
    {
      identityPolicies: policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
      ...(resourcePolicy ? { resourcePolicy } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: `arn:aws:iam::${SIMULATED_ACCOUNT}:role/simulated`,
        action,
        resource: { resource, accountId: SIMULATED_ACCOUNT },
        contextVariables: context,
      },
    } as never,
    {},
  );
  if (result.resultType === "error")
    throw new Error(`simulating ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

/** A role's inline policies, as the mocks recorded its inputs. */
export function inlinePolicies(inputs: { inlinePolicies?: { policy: string }[] }): object[] {
  return (inputs.inlinePolicies ?? []).map((p) => JSON.parse(p.policy));
}
