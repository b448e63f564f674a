// Default values of the configuration keys, and the values some keys allow: named once, so
// the schema, the components and the tests agree.

export const DEFAULT_PROTECT_STATEFUL_RESOURCES = false;
export const DEFAULT_BACKUP_PREFIX = "backups";
export const DEFAULT_BACKUP_RETENTION_DAYS = 30;
/** 0 disables the transition. */
export const DEFAULT_BACKUP_TRANSITION_TO_IA_DAYS = 0;
/** 0 disables the transition. */
export const DEFAULT_BACKUP_TRANSITION_TO_GLACIER_DAYS = 0;
export const DEFAULT_BACKUP_GLACIER_STORAGE_CLASS = "GLACIER_IR";
export const DEFAULT_BACKUP_NONCURRENT_VERSION_DAYS = 7;
export const DEFAULT_BACKUP_OBJECT_LOCK_MODE = "none";
export const DEFAULT_BACKUP_OBJECT_LOCK_DAYS = 0;
export const DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS = 30;
/** 01:00 and 13:30, the application team's backup times. */
export const DEFAULT_BACKUP_SCHEDULES: readonly string[] = [
  "cron(0 1 * * ? *)",
  "cron(30 13 * * ? *)",
];
export const DEFAULT_BACKUP_TIMEZONE = "UTC";
export const DEFAULT_BACKUP_IMAGE = "ghcr.io/eevans-d/gad-infra/backup";
export const DEFAULT_BACKUP_IMAGE_TAG = "latest";
export const DEFAULT_BACKUP_CPU = 1024;
export const DEFAULT_BACKUP_MEMORY = 2048;
export const DEFAULT_BACKUP_EPHEMERAL_STORAGE_GIB = 21;
export const DEFAULT_BACKUP_TIMEOUT_MINUTES = 120;
export const DEFAULT_BACKUP_LOG_RETENTION_DAYS = 90;
export const DEFAULT_BACKUP_SPOT = false;
/** Sundays at 04:00, between the default backups and away from the RDS backup window. */
export const DEFAULT_DRILL_SCHEDULE = "cron(0 4 ? * SUN *)";
export const DEFAULT_DRILL_CPU = 1024;
export const DEFAULT_DRILL_MEMORY = 4096;
export const DEFAULT_DRILL_EPHEMERAL_STORAGE_GIB = 50;
export const DEFAULT_DRILL_TIMEOUT_MINUTES = 180;
/** The application's schema version: a restore without it is not the application's database. */
export const DEFAULT_DRILL_SANITY_SQL = "SELECT version_num FROM alembic_version";
export const DEFAULT_DRILL_DATABASE_IMAGE = "postgis/postgis";
export const DEFAULT_DRILL_DATABASE_IMAGE_TAG = "15-3.5";
export const DEFAULT_ALARM_EMAILS: readonly string[] = [];
export const DEFAULT_DATABASE_MODE = "rds";
export const DEFAULT_DATABASE_NAME = "grupogad";
export const DEFAULT_DATABASE_USERNAME = "gad";
/** The application's own group role (its login users are <role>_blue and <role>_green). */
export const DEFAULT_DATABASE_APP_ROLE = "gad_app";
/** Extensions the application needs that only an administrator may create (DESIGN.md). */
export const DEFAULT_DATABASE_APP_EXTENSIONS: readonly string[] = [
  "postgis",
  "postgis_topology",
  "pgcrypto",
];
export const DEFAULT_DATABASE_APP_CREDENTIAL_GENERATION = 1;
export const DEFAULT_DATABASE_PORT = 5432;
export const DEFAULT_DATABASE_ENGINE_VERSION = "15";
export const DEFAULT_DATABASE_INSTANCE_CLASS = "db.t4g.small";
export const DEFAULT_DATABASE_ALLOCATED_STORAGE_GIB = 20;
export const DEFAULT_DATABASE_MAX_ALLOCATED_STORAGE_GIB = 100;
export const DEFAULT_DATABASE_BACKUP_RETENTION_DAYS = 7;
export const DEFAULT_DATABASE_MULTI_AZ = false;
export const DEFAULT_DATABASE_DELETION_PROTECTION = false;
export const DEFAULT_DATABASE_FINAL_SNAPSHOT = false;
export const DEFAULT_DATABASE_PERFORMANCE_INSIGHTS = true;
export const DEFAULT_GHCR_USERNAME = "eevans-d";
export const DEFAULT_NETWORK_FLOW_LOGS = false;
export const DEFAULT_NETWORK_FLOW_LOG_RETENTION_DAYS = 30;
export const DEFAULT_API_IMAGE = "ghcr.io/eevans-d/grupo_gad/api";
export const DEFAULT_API_IMAGE_TAG = "master";
/** The application as DESIGN.md describes it: port 8000, liveness /health, logs under /app/logs. */
export const DEFAULT_SERVICES: Readonly<Record<string, unknown>> = {
  api: {
    image: DEFAULT_API_IMAGE,
    imageTag: DEFAULT_API_IMAGE_TAG,
    port: 8000,
    healthPath: "/health",
    public: true,
    database: true,
    migrationCommand: ["alembic", "upgrade", "head"],
    secrets: { SECRET_KEY: "appSecretKey" },
    environment: { UVICORN_WORKERS: "2", LOG_LEVEL: "info" },
    writablePaths: ["/app/logs", "/tmp"],
    user: "app",
  },
};
export const DEFAULT_VPC_CIDR = "10.40.0.0/16";
export const DEFAULT_NAT_MODE = "single";
export const DEFAULT_AZ_COUNT = 2;
export const DEFAULT_GITHUB_REPOSITORIES: readonly string[] = [
  "eevans-d/GRUPO_GAD",
  "eevans-d/gad-infra",
];
export const DEFAULT_GITHUB_REQUIRED_REVIEWERS: readonly string[] = [];

export const GLACIER_STORAGE_CLASSES = ["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export const OBJECT_LOCK_MODES = ["none", "GOVERNANCE", "COMPLIANCE"] as const;
export const NAT_MODES = ["none", "single", "perAz"] as const;
export const DATABASE_MODES = ["rds", "external"] as const;
/** The secret config keys a service may name in its `secrets`. */
export const SERVICE_SECRET_KEYS = ["appSecretKey", "redisUrl"] as const;
export type ServiceSecretKey = (typeof SERVICE_SECRET_KEYS)[number];
export const DEFAULT_DOMAIN_NAME = "";
export const DEFAULT_DOMAIN_HOSTED_ZONE_ID = "";
export const DEFAULT_DOMAIN_CERTIFICATE_ARN = "";
/** Above the application's 30 s WebSocket heartbeat, with room for slow clients. */
export const DEFAULT_LB_IDLE_TIMEOUT_SECONDS = 120;
export const DEFAULT_LB_DELETION_PROTECTION = false;
export const DEFAULT_LB_WAF = false;
/** Requests per 5 minutes from one IP address before the WAF blocks it. */
export const DEFAULT_LB_WAF_RATE_LIMIT = 2000;
export const DEFAULT_ROLLOUT_HEALTH_CHECK_INTERVAL_SECONDS = 10;
export const DEFAULT_ROLLOUT_HEALTHY_THRESHOLD = 2;
export const DEFAULT_ROLLOUT_UNHEALTHY_THRESHOLD = 3;
export const DEFAULT_ROLLOUT_DEREGISTRATION_DELAY_SECONDS = 30;
export const DEFAULT_ROLLOUT_HEALTH_CHECK_GRACE_SECONDS = 60;
export const DEFAULT_ALARM_HTTP_5XX_PERCENT = 5;
export const DEFAULT_ALARM_LATENCY_P95_MS = 1500;
export const DEFAULT_LB_ACCESS_LOGS = false;
export const DEFAULT_LB_ACCESS_LOG_RETENTION_DAYS = 90;
export const DEFAULT_GITHUB_INFRA_REPOSITORY = "eevans-d/gad-infra";
export const DEFAULT_GITHUB_PREVENT_SELF_REVIEW = true;
export const DEFAULT_GITHUB_WAIT_TIMER_MINUTES = 0;
export const DEFAULT_GITHUB_DEPLOYMENT_BRANCH_PATTERNS: readonly string[] = [];
export const DEFAULT_GITHUB_DEPLOYMENT_TAG_PATTERNS: readonly string[] = [];
/** Empty: the program finds the account's provider for token.actions.githubusercontent.com. */
export const DEFAULT_GITHUB_OIDC_PROVIDER_ARN = "";
