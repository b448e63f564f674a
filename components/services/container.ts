// The container definition of a Fargate service, as a pure function of its configuration: what
// runs, with which variables and secrets, which paths are writable.
import type { ServiceConfig } from "../../rules/types";
import { awslogs } from "../ecs";
import type { EnvVar, SecretVar } from "../ecs";

/** Volume name of a writable path: `/app/logs` → `app-logs`. */
export function volumeName(path: string): string {
  return path.replace(/^\/+|\/+$/g, "").replace(/[^A-Za-z0-9]+/g, "-") || "root";
}

export interface ServiceContainerArgs {
  readonly service: ServiceConfig;
  /** `repository@sha256:...` */
  readonly image: string;
  readonly stack: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly registryCredentialsArn: string;
  /** Database connection variables and secrets, when the service has the database. */
  readonly databaseEnvironment: readonly EnvVar[];
  readonly databaseSecrets: readonly SecretVar[];
  /** Variable name → Secrets Manager ARN of the service's own secrets. */
  readonly secretArns: Readonly<Record<string, string>>;
  /** Overrides the image's command (the migration task). */
  readonly command?: readonly string[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export function serviceContainer(a: ServiceContainerArgs) {
  const s = a.service;
  const environment: EnvVar[] = [
    ...Object.entries(s.environment).map(([name, value]) => ({ name, value })),
    { name: "ENVIRONMENT", value: a.stack },
    // Only the load balancer can reach a public service's tasks (their security group admits
    // nothing else), so its X-Forwarded-* headers are trusted.
    ...(s.public ? [{ name: "TRUSTED_PROXY_HOSTS", value: "*" }] : []),
    ...a.databaseEnvironment,
  ];
  const secrets: SecretVar[] = [
    ...Object.entries(a.secretArns).map(([name, valueFrom]) => ({ name, valueFrom })),
    ...a.databaseSecrets,
  ];
  const command = a.command ?? s.command;
  return {
    name: s.name,
    image: a.image,
    essential: true,
    ...(command ? { command: [...command] } : {}),
    ...(s.port !== undefined && !a.command
      ? { portMappings: [{ containerPort: s.port, protocol: "tcp", name: "http" }] }
      : {}),
    ...(s.user !== undefined ? { user: s.user } : {}),
    // ECS Exec's SSM agent writes to the container's file system: read-only unless it runs.
    readonlyRootFilesystem: !s.execCommand,
    repositoryCredentials: { credentialsParameter: a.registryCredentialsArn },
    environment: environment.sort(byName),
    secrets: secrets.sort(byName),
    mountPoints: s.writablePaths.map((path) => ({
      sourceVolume: volumeName(path),
      containerPath: path,
      readOnly: false,
    })),
    linuxParameters: { initProcessEnabled: true },
    logConfiguration: awslogs(a.logGroupName, a.region, a.command ? `${s.name}-migrate` : s.name),
  };
}
