// The guardrails, as plain policy objects: `policy/index.ts` makes them a CrossGuard pack, the
// tests call each validation directly (a PolicyPack starts a server when constructed).
import { ACCESS_POLICIES } from "./access";
import type { GuardPolicy } from "./guard";
import { STORAGE_POLICIES } from "./storage";
import { WORKLOAD_POLICIES } from "./workloads";

export type { GuardPolicy, Report, ResourceArgs } from "./guard";
export { isAccessLogBucket } from "./storage";
export { TLS_POLICIES } from "./access";

export const POLICIES: GuardPolicy[] = [
  ...STORAGE_POLICIES,
  ...WORKLOAD_POLICIES,
  ...ACCESS_POLICIES,
];
