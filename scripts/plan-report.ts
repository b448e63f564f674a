// What the offline plan prints: resources grouped by component with the properties a reviewer
// reads first, and a Mermaid diagram of the architecture. Pure functions of recorded resources.
import type { RecordedResource } from "./lib/mock-engine";

/** The first thing a reviewer wants to know about a resource of each type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const DETAILS: Record<string, (i: Record<string, any>) => string | undefined> = {
  "aws:scheduler/schedule:Schedule": (i) =>
    `${i.scheduleExpression} (${i.scheduleExpressionTimezone})`,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (i) =>
    (i.rules ?? [])
      .filter((r: { expiration?: { days?: number } }) => r.expiration?.days)
      .map(
        (r: { id: string; expiration: { days: number } }) => `${r.id}: ${r.expiration.days} days`,
      )
      .join(", ") || undefined,
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": (i) =>
    `${i.rule?.defaultRetention?.mode} ${i.rule?.defaultRetention?.days} days`,
  "aws:ecs/taskDefinition:TaskDefinition": (i) =>
    `${i.cpu} CPU, ${i.memory} MiB: ` +
    (JSON.parse(i.containerDefinitions ?? "[]") as { name: string; image: string }[])
      .map((c) => `${c.name}=${c.image}`)
      .join(", "),
  "aws:ecs/service:Service": (i) =>
    `desired ${i.desiredCount}, ${i.launchType ?? "FARGATE_SPOT"}, rollback ${i.deploymentCircuitBreaker?.rollback}`,
  "aws:rds/instance:Instance": (i) =>
    `${i.engine} ${i.engineVersion}, ${i.instanceClass}, ${i.allocatedStorage}-${i.maxAllocatedStorage} GiB, multiAz ${i.multiAz}, deletionProtection ${i.deletionProtection}, backups ${i.backupRetentionPeriod} days`,
  "aws:lb/listener:Listener": (i) =>
    `${i.protocol}:${i.port} → ${i.defaultActions?.[0]?.type}${i.sslPolicy ? ` (${i.sslPolicy})` : ""}`,
  "aws:lb/targetGroup:TargetGroup": (i) => `port ${i.port}, health ${i.healthCheck?.path}`,
  "aws:cloudwatch/metricAlarm:MetricAlarm": (i) =>
    `${i.metricName ?? "5xx rate"} ${i.comparisonOperator} ${i.threshold}` +
    (i.evaluationPeriods > 1 ? ` over ${i.evaluationPeriods} × ${i.period} s` : ""),
  "aws:ec2/vpc:Vpc": (i) => i.cidrBlock,
  "github:index/repositoryEnvironment:RepositoryEnvironment": (i) =>
    `${i.repository} → ${i.environment}${i.reviewers?.length ? " (reviewers required)" : ""}`,
  "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": (i) =>
    `${i.repository}/${i.environment}: ${i.variableName}`,
  "aws:iam/role:Role": (i) => {
    const trust = JSON.parse(i.assumeRolePolicy ?? "{}").Statement?.[0];
    return (
      trust?.Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"] ??
      (trust?.Principal?.Service ? `assumed by ${trust.Principal.Service}` : undefined)
    );
  },
};

export interface PlannedResource {
  readonly component: string;
  readonly type: string;
  readonly name: string;
  readonly protect: boolean;
  readonly detail?: string;
}

/** `urn:pulumi:s::p::gad:backup:ScheduledBackup$aws:iam/role:Role::n` → the top component type. */
export function topComponent(r: RecordedResource): string {
  if (!r.parent || r.parent.split("::")[2]?.startsWith("pulumi:pulumi:Stack")) {
    return r.type.startsWith("gad:") ? r.type : "(stack)";
  }
  const chain = r.parent.split("::")[2].split("$");
  return chain.find((t) => t.startsWith("gad:")) ?? "(stack)";
}

export function planResources(resources: readonly RecordedResource[]): PlannedResource[] {
  return resources
    .filter((r) => !r.type.startsWith("gad:") && !r.type.startsWith("pulumi:providers:"))
    .map((r) => {
      let detail: string | undefined;
      try {
        detail = DETAILS[r.type]?.(r.inputs);
      } catch {
        detail = undefined;
      }
      return { component: topComponent(r), type: r.type, name: r.name, protect: r.protect, detail };
    })
    .sort(
      (a, b) =>
        a.component.localeCompare(b.component) ||
        a.type.localeCompare(b.type) ||
        a.name.localeCompare(b.name),
    );
}

/** The text report: one block per component, then the stack outputs. */
export function renderPlan(
  stack: string,
  planned: readonly PlannedResource[],
  outputs: Record<string, unknown>,
  notes: readonly string[],
): string {
  const lines = [
    `Offline plan of stack "${stack}": ${planned.length} resources (no credentials used)`,
    "",
  ];
  let component = "";
  for (const r of planned) {
    if (r.component !== component) {
      component = r.component;
      const count = planned.filter((p) => p.component === component).length;
      lines.push(`${component} (${count})`);
    }
    const flags = r.protect ? " [protected]" : "";
    lines.push(`  ${r.type.split(":").pop()} ${r.name}${flags}${r.detail ? ` — ${r.detail}` : ""}`);
  }
  lines.push("", "Outputs:");
  for (const [key, value] of Object.entries(outputs)) {
    lines.push(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  if (notes.length > 0) lines.push("", "Notes:", ...notes.map((n) => `  - ${n}`));
  return lines.join("\n");
}

/** The architecture as a Mermaid flowchart, from what the plan contains. */
export function renderMermaid(stack: string, planned: readonly PlannedResource[]): string {
  const has = (type: string) => planned.some((r) => r.type === type);
  const services = planned.filter((r) => r.type === "aws:ecs/service:Service").map((r) => r.name);
  const lines = ["flowchart LR", `  subgraph aws["AWS — ${stack}"]`];
  if (has("aws:lb/loadBalancer:LoadBalancer")) lines.push('    alb["Load balancer (ALB)"]');
  for (const s of services) lines.push(`    ${s.replace(/-/g, "_")}["ECS service ${s}"]`);
  if (has("aws:rds/instance:Instance")) lines.push('    rds[("RDS PostgreSQL")]');
  lines.push(
    '    scheduler["EventBridge Scheduler"]',
    '    backup["Backup task"]',
    '    drill["Restore drill"]',
  );
  lines.push('    bucket[("S3 backups")]', '    alarms["Alarms → SNS"]', "  end");
  lines.push('  users(["Users"])', '  ghcr[("ghcr.io images")]');
  if (has("github:index/repositoryEnvironment:RepositoryEnvironment"))
    lines.push('  github["GitHub environments (OIDC)"]');
  if (has("aws:lb/loadBalancer:LoadBalancer")) lines.push("  users --> alb");
  for (const s of services) {
    const id = s.replace(/-/g, "_");
    if (has("aws:lb/loadBalancer:LoadBalancer")) lines.push(`  alb --> ${id}`);
    lines.push(`  ghcr -.-> ${id}`);
    if (has("aws:rds/instance:Instance")) lines.push(`  ${id} --> rds`);
  }
  lines.push(
    "  scheduler --> backup",
    "  scheduler --> drill",
    "  backup --> bucket",
    "  drill --> bucket",
  );
  if (has("aws:rds/instance:Instance")) lines.push("  backup --> rds");
  lines.push("  backup -.-> alarms", "  drill -.-> alarms");
  if (has("github:index/repositoryEnvironment:RepositoryEnvironment"))
    lines.push("  github -. assumes roles .-> aws");
  return lines.join("\n") + "\n";
}
