// Guardrails on workloads: containers, ECS Exec, rollbacks, secrets a refresh would read, and
// the database.
import { containerDefinitionProblems, numericProblems } from "../rules/aws-limits";
import { nameProblems } from "../rules/name-limits";
import { GuardPolicy, json } from "./guard";

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIAL|^DATABASE_URL$|API_KEY/;
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

export const WORKLOAD_POLICIES: GuardPolicy[] = [
  {
    name: "aws-name-limits",
    description:
      "Names and EC2 descriptions fit AWS's documented lengths and characters, Pulumi's auto-name suffix included, and bounded numbers their documented ranges (rules/name-limits.ts, rules/aws-limits.ts).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, name, props }, report) => {
      for (const problem of [
        ...nameProblems(type, name, props),
        ...numericProblems(type, name, props),
      ])
        report(problem);
    },
  },
  {
    name: "ecs-containers-safe",
    description:
      "Task containers are not privileged, not root, log, carry no credential in plain environment values (ECS.4, ECS.5, ECS.8, ECS.9), and keep health checks within ECS's limits.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:ecs/taskDefinition:TaskDefinition") return;
      const containers = json(props.containerDefinitions) ?? [];
      // RegisterTaskDefinition refuses these; the policy says so at preview instead.
      for (const problem of containerDefinitionProblems(containers)) report(problem);
      for (const c of containers) {
        if (c.privileged) report(`container ${c.name} is privileged`);
        if (c.user !== undefined && /^(0|root)(:|$)/.test(String(c.user)))
          report(`container ${c.name} runs as root`);
        if (!c.logConfiguration?.logDriver) report(`container ${c.name} has no log configuration`);
        for (const e of c.environment ?? []) {
          if (SECRET_NAME.test(e.name))
            report(
              `container ${c.name}: ${e.name} looks like a secret: use secrets (Secrets Manager)`,
            );
          else if (CREDENTIAL_URL.test(e.value))
            report(`container ${c.name}: ${e.name} holds a URL with credentials`);
        }
      }
    },
  },
  {
    name: "secrets-out-of-refresh",
    description:
      "No resource whose refresh reads a secret value (the preview role, which runs every refresh, may not): write values with SecretValue.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      // A SecretVersion's read is GetSecretValue; a SecureString parameter's read is
      // GetParameter with decryption (terraform-provider-aws, secretsmanager/secret_version.go
      // and ssm/parameter.go); the preview role is denied both (components/github/policies.ts).
      if (type === "aws:secretsmanager/secretVersion:SecretVersion")
        report(
          "a SecretVersion's refresh reads the secret's value, which the preview role may not: write the value with SecretValue (components/secret-value.ts)",
        );
      if (type === "aws:ssm/parameter:Parameter" && props.type === "SecureString")
        report(
          "a SecureString parameter's refresh decrypts its value, which the preview role may not: keep the value in Secrets Manager, written with SecretValue",
        );
    },
  },
  {
    name: "ecs-exec-writable",
    description:
      "ECS Exec is enabled only on services whose containers' root file systems are writable (the SSM agent it runs must write there).",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      // "The SSM agent requires a writable container file system ... making the root file system
      // read-only ... isn't supported" (Amazon ECS Developer Guide, "Monitor Amazon ECS
      // containers with ECS Exec", considerations).
      const definitions = resources.filter(
        (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition",
      );
      for (const service of resources.filter((r) => r.type === "aws:ecs/service:Service")) {
        if (service.props.enableExecuteCommand !== true) continue;
        const deps = new Set(
          (service.propertyDependencies?.taskDefinition ?? []).map((d) => d.urn),
        );
        const definition = definitions.find(
          (d) =>
            (d.urn !== undefined && deps.has(d.urn)) ||
            (d.props.arn !== undefined && d.props.arn === service.props.taskDefinition),
        );
        for (const c of json(definition?.props.containerDefinitions) ?? []) {
          if (c.readonlyRootFilesystem === true)
            report(
              `${service.name} enables ECS Exec, but container ${c.name} of its task definition has a read-only root file system, where the SSM agent cannot run: set execCommand false, or leave the root file system writable`,
              service.urn,
            );
        }
      }
    },
  },
  {
    name: "ecs-service-rollback",
    description: "Services roll back a failed deployment by themselves.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:ecs/service:Service") return;
      const cb = props.deploymentCircuitBreaker;
      if (!cb?.enable || !cb?.rollback)
        report("the deployment circuit breaker with rollback is off");
    },
  },
  {
    name: "rds-safe",
    description:
      "Databases are encrypted, private, keep 7+ days of automated backups, and a protected one has deletion protection (RDS.2, RDS.3, RDS.8, RDS.11).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props, opts }, report) => {
      if (type !== "aws:rds/instance:Instance") return;
      if (props.storageEncrypted !== true) report("storage is not encrypted");
      if (props.publiclyAccessible === true) report("the instance is publicly accessible");
      if (!(props.backupRetentionPeriod >= 7))
        report(
          `automated backups are kept ${props.backupRetentionPeriod ?? 0} days: keep at least 7`,
        );
      if (opts?.protect && props.deletionProtection !== true)
        report("a protected database must have deletion protection");
    },
  },
];
