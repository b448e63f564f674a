import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_DATABASE_ALLOCATED_STORAGE_GIB,
  DEFAULT_DATABASE_APP_CREDENTIAL_GENERATION,
  DEFAULT_DATABASE_BACKUP_RETENTION_DAYS,
  DEFAULT_DATABASE_ENGINE_VERSION,
  DEFAULT_DATABASE_INSTANCE_CLASS,
  DEFAULT_DATABASE_MAX_ALLOCATED_STORAGE_GIB,
  DEFAULT_DATABASE_PORT,
  DEFAULT_DATABASE_USERNAME,
  DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS,
} from "../../rules/defaults";
import type { DatabaseMode } from "../../rules/types";
import type { EnvVar, SecretVar } from "../ecs";
import { SecretValue } from "../secret-value";
import { appLogin } from "./app-login";
import { RDS_BACKUP_WINDOW, RDS_MAINTENANCE_WINDOW, databaseProblems } from "./database-settings";

/**
 * Where this project's images keep RDS's certificate authorities (backup/Dockerfile), so that
 * libpq verifies the instance's certificate and host name (`PGSSLMODE=verify-full`).
 */
export const RDS_CA_BUNDLE = "/etc/ssl/certs/rds-global-bundle.pem";

export interface DatabaseArgs {
  /** rds: an instance in this stack; external: a database elsewhere, reached by `url`. */
  readonly mode: DatabaseMode;
  /** Name of the application's database. */
  readonly name: string;
  /** Region of the instance and its secrets. */
  readonly region: string;
  /** VPC and private subnets of the instance (rds). */
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  /** The database's URL (external; a secret), postgresql://user:password@host:port/database. */
  readonly url?: pulumi.Input<string>;
  /** Listener port. @default DEFAULT_DATABASE_PORT (5432) */
  readonly port?: number;
  /** Master user; RDS generates its password in Secrets Manager. @default DEFAULT_DATABASE_USERNAME */
  readonly username?: string;
  /** PostgreSQL major version. @default DEFAULT_DATABASE_ENGINE_VERSION ("15") */
  readonly engineVersion?: string;
  /** @default DEFAULT_DATABASE_INSTANCE_CLASS ("db.t4g.small") */
  readonly instanceClass?: string;
  /** @default DEFAULT_DATABASE_ALLOCATED_STORAGE_GIB (20) */
  readonly allocatedStorageGiB?: number;
  /** Storage autoscaling limit. @default DEFAULT_DATABASE_MAX_ALLOCATED_STORAGE_GIB (100) */
  readonly maxAllocatedStorageGiB?: number;
  /** Point-in-time recovery window, days. @default DEFAULT_DATABASE_BACKUP_RETENTION_DAYS (7) */
  readonly backupRetentionDays?: number;
  /** @default false */
  readonly multiAz?: boolean;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** @default false */
  readonly finalSnapshot?: boolean;
  /** @default true */
  readonly performanceInsights?: boolean;
  /** RDS: bump to rotate the application's login. @default DEFAULT_DATABASE_APP_CREDENTIAL_GENERATION */
  readonly appCredentialGeneration?: number;
  /** Pulumi `protect` and `retainOnDelete` on the instance and its key. @default false */
  readonly protect?: boolean;
  /** @default DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS (30) */
  readonly kmsKeyDeletionWindowDays?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The application's PostgreSQL: an encrypted RDS instance reachable only from the security
 * groups admitted with `allowFrom`, or an external database whose URL lives in Secrets Manager.
 * Either way, tasks get credentials from Secrets Manager (`secrets`), never as plain values.
 */
export class Database extends pulumi.ComponentResource {
  public readonly mode: DatabaseMode;
  /** Name of the application's database. */
  public readonly databaseName: string;
  /** PostgreSQL major version (drills restore into the same). */
  public readonly engineVersion: string;
  /**
   * Plain libpq settings for the backup job's tasks (host, port, database, user; TLS verified
   * against RDS_CA_BUNDLE): no password.
   */
  public readonly environment: pulumi.Output<EnvVar[]>;
  /**
   * The application's connection settings. For RDS these are POSTGRES_SERVER/PORT/DB/USER (its
   * settings fall back to them) and no DATABASE_URL, so its start script does not migrate; for an
   * external database DATABASE_URL is a secret and ALLOW_NO_DB=1 skips the start-up migration.
   */
  public readonly appEnvironment: pulumi.Output<EnvVar[]>;
  /**
   * POSTGRES_USER and POSTGRES_PASSWORD from the application's own credential (rds), or
   * DATABASE_URL (external), from Secrets Manager.
   */
  public readonly appSecrets: pulumi.Output<SecretVar[]>;
  /** The secrets behind appSecrets (what a service's execution role reads). */
  public readonly appSecretArns: pulumi.Output<string>[];
  /**
   * RDS: what `gad-backup provision-app-role` needs besides the master connection (role,
   * generation, extensions, the credential's secret); undefined for an external database.
   */
  public readonly provisioning?: pulumi.Output<EnvVar[]>;
  /** RDS: the secret holding the application's credential (written by provision-app-role). */
  public readonly appCredentialsSecretArn?: pulumi.Output<string>;
  /** Secrets tasks receive: PGPASSWORD (rds) or DATABASE_URL (external). */
  public readonly secrets: pulumi.Output<SecretVar[]>;
  /** Secrets Manager ARNs a task's execution role must read. */
  public readonly secretArns: pulumi.Output<string>[];
  /** KMS keys those secrets are encrypted with, beyond the account's default. */
  public readonly secretKmsKeyArns: pulumi.Output<string>[];
  /** Security group of the instance (rds), undefined for an external database. */
  public readonly securityGroupId?: pulumi.Output<string>;
  public readonly port: number;
  /** The instance's address (rds). */
  public readonly address?: pulumi.Output<string>;
  private readonly name: string;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:database:Database", name, {}, opts);
    const problems = databaseProblems(args);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`Database ${name}: ${problems.join("; ")}`, this, true);
    }
    const tags = args.tags ?? {};
    const parent = { parent: this };
    this.name = name;
    this.mode = args.mode;
    this.databaseName = args.name;
    this.engineVersion = args.engineVersion ?? DEFAULT_DATABASE_ENGINE_VERSION;
    this.port = args.port ?? DEFAULT_DATABASE_PORT;

    if (args.mode === "external") {
      const secret = new aws.secretsmanager.Secret(
        `${name}-url`,
        {
          description: `DATABASE_URL of the external database ${args.name}`,
          recoveryWindowInDays: 7,
          tags,
        },
        parent,
      );
      new SecretValue(
        `${name}-url`,
        {
          region: args.region,
          secretId: secret.arn,
          secretString: args.url as pulumi.Input<string>,
        },
        parent,
      );
      this.environment = pulumi.output([]);
      this.secrets = pulumi.output([{ name: "DATABASE_URL", valueFrom: secret.arn }]);
      this.appEnvironment = pulumi.output([{ name: "ALLOW_NO_DB", value: "1" }]);
      this.appSecrets = this.secrets;
      this.appSecretArns = [secret.arn];
      this.secretArns = [secret.arn];
      this.secretKmsKeyArns = [];
    } else {
      const stateful = args.protect
        ? { parent: this, protect: true, retainOnDelete: true }
        : parent;
      const key = new aws.kms.Key(
        `${name}-key`,
        {
          description: `Encrypts database ${name}: storage, snapshots, Performance Insights and the master secret`,
          enableKeyRotation: true,
          deletionWindowInDays:
            args.kmsKeyDeletionWindowDays ?? DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS,
          tags,
        },
        stateful,
      );
      const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
          vpcId: args.vpcId,
          description: `PostgreSQL ${name}: admits ${this.port} from the application and backup tasks only`,
          tags: { ...tags, Name: `${name}-sg` },
        },
        parent,
      );
      const subnets = new aws.rds.SubnetGroup(
        `${name}-subnets`,
        { subnetIds: args.subnetIds, tags },
        parent,
      );
      const parameters = new aws.rds.ParameterGroup(
        `${name}-params`,
        {
          family: `postgres${this.engineVersion}`,
          description: `${name}: TLS required`,
          parameters: [{ name: "rds.force_ssl", value: "1" }],
          tags,
        },
        parent,
      );
      const performanceInsights = args.performanceInsights ?? true;
      const finalSnapshot = args.finalSnapshot ?? false;
      const instance = new aws.rds.Instance(
        name,
        {
          engine: "postgres",
          engineVersion: this.engineVersion,
          autoMinorVersionUpgrade: true,
          instanceClass: args.instanceClass ?? DEFAULT_DATABASE_INSTANCE_CLASS,
          dbName: args.name,
          port: this.port,
          username: args.username ?? DEFAULT_DATABASE_USERNAME,
          manageMasterUserPassword: true,
          masterUserSecretKmsKeyId: key.arn,
          storageType: "gp3",
          allocatedStorage: args.allocatedStorageGiB ?? DEFAULT_DATABASE_ALLOCATED_STORAGE_GIB,
          maxAllocatedStorage:
            args.maxAllocatedStorageGiB ?? DEFAULT_DATABASE_MAX_ALLOCATED_STORAGE_GIB,
          storageEncrypted: true,
          kmsKeyId: key.arn,
          dbSubnetGroupName: subnets.name,
          vpcSecurityGroupIds: [securityGroup.id],
          publiclyAccessible: false,
          parameterGroupName: parameters.name,
          caCertIdentifier: "rds-ca-rsa2048-g1",
          backupRetentionPeriod: args.backupRetentionDays ?? DEFAULT_DATABASE_BACKUP_RETENTION_DAYS,
          backupWindow: RDS_BACKUP_WINDOW,
          maintenanceWindow: RDS_MAINTENANCE_WINDOW,
          copyTagsToSnapshot: true,
          multiAz: args.multiAz ?? false,
          deletionProtection: args.deletionProtection ?? false,
          skipFinalSnapshot: !finalSnapshot,
          finalSnapshotIdentifier: finalSnapshot ? `${name}-final` : undefined,
          performanceInsightsEnabled: performanceInsights,
          performanceInsightsKmsKeyId: performanceInsights ? key.arn : undefined,
          performanceInsightsRetentionPeriod: performanceInsights ? 7 : undefined,
          enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
          applyImmediately: false,
          tags,
        },
        stateful,
      );
      const masterSecretArn = instance.masterUserSecrets.apply((secrets) => {
        const arn = secrets?.[0]?.secretArn;
        if (!arn) throw new Error(`RDS did not report the master user secret of ${name}`);
        return arn;
      });
      this.environment = pulumi.all([instance.address, instance.username]).apply(([host, user]) => [
        { name: "PGHOST", value: host },
        { name: "PGPORT", value: String(this.port) },
        { name: "PGDATABASE", value: args.name },
        { name: "PGUSER", value: user },
        { name: "PGSSLMODE", value: "verify-full" },
        { name: "PGSSLROOTCERT", value: RDS_CA_BUNDLE },
      ]);
      this.secrets = masterSecretArn.apply((arn) => [
        { name: "PGPASSWORD", valueFrom: `${arn}:password::` },
      ]);
      const login = appLogin(name, {
        database: args.name,
        port: this.port,
        host: instance.address,
        kmsKeyArn: key.arn,
        generation: args.appCredentialGeneration ?? DEFAULT_DATABASE_APP_CREDENTIAL_GENERATION,
        tags,
        parent: this,
      });
      this.appCredentialsSecretArn = login.secretArn;
      this.provisioning = login.provisioning;
      this.appEnvironment = login.environment;
      this.appSecrets = login.secrets;
      this.appSecretArns = [login.secretArn];
      this.secretArns = [masterSecretArn];
      this.secretKmsKeyArns = [key.arn];
      this.securityGroupId = securityGroup.id;
      this.address = instance.address;
    }
    this.registerOutputs({ environment: this.environment, address: this.address });
  }

  /** Where a client's egress rule points: the instance's security group, or anywhere. */
  get egressDestination():
    | { referencedSecurityGroupId: pulumi.Output<string>; description: string }
    | { cidrIpv4: string; description: string } {
    return this.securityGroupId
      ? { referencedSecurityGroupId: this.securityGroupId, description: "The database" }
      : { cidrIpv4: "0.0.0.0/0", description: "The external database" };
  }

  /**
   * Admits `securityGroupId` (a task's group) to the database port, and returns the rule (a task
   * that must reach the database waits for it). A no-op for an external database.
   */
  allowFrom(client: string, securityGroupId: pulumi.Input<string>): pulumi.Resource[] {
    if (!this.securityGroupId) return [];
    const rule = new aws.vpc.SecurityGroupIngressRule(
      `${this.name}-from-${client}`,
      {
        securityGroupId: this.securityGroupId,
        referencedSecurityGroupId: securityGroupId,
        ipProtocol: "tcp",
        fromPort: this.port,
        toPort: this.port,
        description: `PostgreSQL from ${client}`,
      },
      { parent: this },
    );
    return [rule];
  }
}
