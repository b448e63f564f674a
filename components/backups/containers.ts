// Container definitions of the backup and drill tasks, as pure functions: the job's contract
// (image, command, environment variables, secrets, volumes) in one readable place.
import { awslogs } from "../ecs";
import type { EnvVar, SecretVar } from "../ecs";

/** The job image's user (backup/Dockerfile). */
export const JOB_USER = "10001:10001";
/** Where the job writes: restore's download, and nothing else (the root is read-only). */
export const SCRATCH_PATH = "/scratch";
/** The drill's scratch PostgreSQL, inside the task, reachable on loopback only. */
export const DRILL_DATABASE_CONTAINER = "scratch-db";
export const DRILL_TARGET = "postgresql://postgres@127.0.0.1:5432/postgres";
/** Seconds ECS waits after SIGTERM before SIGKILL (Fargate's maximum): time to abort an upload. */
export const STOP_TIMEOUT_SECONDS = 120;

/** The ECS task volumes both tasks mount (Fargate ephemeral storage). */
export const JOB_VOLUMES = ["scratch", "tmp"] as const;

export interface JobContainerArgs {
  /** `repository@sha256:...` */
  readonly image: string;
  readonly registryCredentialsArn: string;
  readonly logGroupName: string;
  readonly region: string;
  /** Job variables: destination, stack, database, timeout, metric namespace, ... */
  readonly environment: readonly EnvVar[];
  readonly secrets: readonly SecretVar[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** The gad-backup container running `command`, read-only, non-root, writing only to volumes. */
export function jobContainer(name: string, command: readonly string[], a: JobContainerArgs) {
  return {
    name,
    image: a.image,
    essential: true,
    command: [...command],
    user: JOB_USER,
    readonlyRootFilesystem: true,
    repositoryCredentials: { credentialsParameter: a.registryCredentialsArn },
    environment: [...a.environment].sort(byName),
    secrets: [...a.secrets].sort(byName),
    mountPoints: [
      { sourceVolume: "scratch", containerPath: SCRATCH_PATH, readOnly: false },
      { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
    ],
    linuxParameters: { initProcessEnabled: true },
    stopTimeout: STOP_TIMEOUT_SECONDS,
    logConfiguration: awslogs(a.logGroupName, a.region, name),
  };
}

export interface DrillDatabaseArgs {
  /** PostGIS-enabled PostgreSQL image, `repository@sha256:...`. */
  readonly image: string;
  readonly logGroupName: string;
  readonly region: string;
}

/**
 * The drill's throw-away PostgreSQL: listens on loopback only (no password needed, nothing
 * outside the task can reach it), trades durability for speed, reports healthy when it accepts
 * connections so the drill starts after it.
 */
export function drillDatabaseContainer(a: DrillDatabaseArgs) {
  return {
    name: DRILL_DATABASE_CONTAINER,
    image: a.image,
    essential: false,
    command: [
      "postgres",
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "synchronous_commit=off",
    ],
    environment: [
      { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
      { name: "POSTGRES_HOST_AUTH_METHOD", value: "trust" },
    ],
    mountPoints: [
      { sourceVolume: DRILL_DATABASE_CONTAINER, containerPath: "/var/lib/postgresql/data" },
    ],
    // ECS accepts 1-10 retries (rules/aws-limits.ts). Start period plus retries give the
    // scratch database 90 + 10 x 5 = 140 s to accept connections (initdb and PostGIS).
    healthCheck: {
      command: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U postgres"],
      interval: 5,
      timeout: 5,
      retries: 10,
      startPeriod: 90,
    },
    logConfiguration: awslogs(a.logGroupName, a.region, DRILL_DATABASE_CONTAINER),
  };
}

/** The drill job waits for the scratch database to be healthy. */
export function drillContainers(job: JobContainerArgs, database: DrillDatabaseArgs) {
  return [
    {
      ...jobContainer("drill", ["drill", "--target", DRILL_TARGET], job),
      dependsOn: [{ containerName: DRILL_DATABASE_CONTAINER, condition: "HEALTHY" }],
    },
    drillDatabaseContainer(database),
  ];
}
