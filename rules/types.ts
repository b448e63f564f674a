// The typed configuration `parse()` returns: what the components receive. It lives below both
// (config/ produces it, components/ consume it), so neither imports the other.
import { DATABASE_MODES, GLACIER_STORAGE_CLASSES, NAT_MODES, OBJECT_LOCK_MODES } from "./defaults";

export type GlacierStorageClass = (typeof GLACIER_STORAGE_CLASSES)[number];
export type ObjectLockMode = Exclude<(typeof OBJECT_LOCK_MODES)[number], "none">;
export type NatMode = (typeof NAT_MODES)[number];
export type DatabaseMode = (typeof DATABASE_MODES)[number];

export interface ImageRef {
  /** Repository without tag, e.g. ghcr.io/eevans-d/gad-infra/backup. */
  readonly repository: string;
  readonly tag: string;
}

/** A Fargate task's size. */
export interface TaskSize {
  readonly cpu: number;
  readonly memory: number;
  readonly ephemeralStorageGiB: number;
}

export interface BackupConfig extends TaskSize {
  readonly prefix: string;
  readonly retentionDays: number;
  readonly transitionToInfrequentAccessDays?: number;
  readonly transitionToGlacierDays?: number;
  readonly glacierStorageClass: GlacierStorageClass;
  readonly noncurrentVersionDays: number;
  readonly objectLock?: { readonly mode: ObjectLockMode; readonly days: number };
  readonly kmsKeyDeletionWindowDays: number;
  readonly schedules: readonly string[];
  readonly timezone: string;
  readonly image: ImageRef;
  readonly timeoutMinutes: number;
  readonly logRetentionDays: number;
  readonly spot: boolean;
}

export interface DrillConfig extends TaskSize {
  readonly schedule: string;
  readonly timeoutMinutes: number;
  readonly sanitySql: string;
  /** The scratch PostgreSQL (with PostGIS) the drill restores into. */
  readonly databaseImage: { readonly repository: string; readonly tag: string };
}

export interface DatabaseConfig {
  readonly mode: DatabaseMode;
  readonly name: string;
  readonly username: string;
  readonly port: number;
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  readonly backupRetentionDays: number;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  readonly finalSnapshot: boolean;
  readonly performanceInsights: boolean;
  /** Bump to rotate the application's database password (alternating users). */
  readonly appCredentialGeneration: number;
}

export interface NetworkConfig {
  readonly vpcCidr: string;
  readonly natMode: NatMode;
  readonly azCount: number;
  readonly flowLogs: boolean;
  readonly flowLogRetentionDays: number;
}

export interface DomainConfig {
  /** Host name of the public service. */
  readonly name: string;
  /** Route 53 zone that validates the certificate and holds the alias record. */
  readonly hostedZoneId?: string;
  /** An existing ACM certificate; otherwise one is requested. */
  readonly certificateArn?: string;
}

export interface LoadBalancerConfig {
  readonly idleTimeoutSeconds: number;
  readonly deletionProtection: boolean;
  readonly waf: boolean;
  readonly wafRateLimit: number;
  readonly accessLogs: boolean;
  readonly accessLogRetentionDays: number;
}

export interface RolloutConfig {
  readonly healthCheckIntervalSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly deregistrationDelaySeconds: number;
  readonly healthCheckGracePeriodSeconds: number;
}

export interface GithubConfig {
  /** `owner/name` of every repository that gets an environment named after the stack. */
  readonly repositories: readonly string[];
  /** User logins and `org/team-slug` teams. */
  readonly requiredReviewers: readonly string[];
  /** This repository: preview and deploy roles; the others get the application's role. */
  readonly infraRepository: string;
  readonly preventSelfReview: boolean;
  readonly waitTimerMinutes: number;
  readonly deploymentBranchPatterns: readonly string[];
  readonly deploymentTagPatterns: readonly string[];
  /** Empty: look the provider up. */
  readonly oidcProviderArn: string;
}

export interface StackConfig {
  readonly stack: string;
  readonly region: string;
  readonly protectStatefulResources: boolean;
  readonly backup: BackupConfig;
  readonly drill: DrillConfig;
  readonly database: DatabaseConfig;
  readonly alarms: {
    readonly emails: readonly string[];
    readonly http5xxPercent: number;
    readonly latencyP95Milliseconds: number;
  };
  /** Absent: plain HTTP on the load balancer's name. */
  readonly domain?: DomainConfig;
  readonly loadBalancer: LoadBalancerConfig;
  readonly rollout: RolloutConfig;
  readonly ghcr: { readonly username: string };
  readonly services: readonly ServiceConfig[];
  readonly network: NetworkConfig;
  readonly github: GithubConfig;
}

export interface AutoscalingConfig {
  readonly minCount: number;
  readonly maxCount: number;
  /** Average CPU utilisation (%) to keep. */
  readonly cpuTarget: number;
  /** Requests per target per minute to keep; 0 turns request-based scaling off. */
  readonly requestsPerTarget: number;
}

export interface ServiceConfig {
  readonly name: string;
  readonly image: { readonly repository: string; readonly tag: string };
  /** Container port; none for a worker (no load balancer, no health check). */
  readonly port?: number;
  readonly command?: readonly string[];
  /**
   * Command of the one-off migration task (same image); run once per new image before the
   * service rolls. Needs `database`.
   */
  readonly migrationCommand?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** Variable name → secret config key (for example SECRET_KEY → appSecretKey). */
  readonly secrets: Readonly<Record<string, string>>;
  /** Whether the service gets the database's connection (POSTGRES_* or DATABASE_URL). */
  readonly database: boolean;
  readonly cpu: number;
  readonly memory: number;
  readonly desiredCount: number;
  readonly healthPath: string;
  /** Behind the stack's load balancer (at most one service). */
  readonly public: boolean;
  readonly autoscaling: AutoscalingConfig;
  readonly spot: boolean;
  /** Paths mounted writable on a read-only root file system (unless execCommand). */
  readonly writablePaths: readonly string[];
  /**
   * ECS Exec (`aws ecs execute-command`) into the service's tasks. Its SSM agent must write to
   * the container's file system, so the root file system is then writable.
   */
  readonly execCommand: boolean;
  /** The user the container runs as (a name from the image, or uid[:gid]); never root. */
  readonly user?: string;
}
