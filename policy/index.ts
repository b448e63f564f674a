// The gad-infra guardrails as a CrossGuard policy pack, run by `pulumi preview --policy-pack policy`
// (the preview workflow) and `pulumi up --policy-pack policy`. The policies and their tests live
// in policies.ts; constructing a PolicyPack starts its server, so only this file does.
import { PolicyPack, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("gad-guardrails", {
  policies: POLICIES as unknown as (ResourceValidationPolicy | StackValidationPolicy)[],
});
