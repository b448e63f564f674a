// The application's own database login (never the master user's): the secret that holds it,
// what the provisioning task needs to keep it (`gad-backup provision-app-role`, backup/app-role.ts),
// and how the application's containers receive it.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DATABASE_APP_EXTENSIONS, DEFAULT_DATABASE_APP_ROLE } from "../../rules/defaults";
import type { EnvVar, SecretVar } from "../ecs";

export interface AppLoginArgs {
  readonly database: string;
  readonly port: number;
  readonly host: pulumi.Output<string>;
  /** The database's key; the secret is encrypted with it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Bumping it rotates the login (alternating users). */
  readonly generation: number;
  readonly tags: Record<string, string>;
  readonly parent: pulumi.Resource;
}

export interface AppLogin {
  readonly secretArn: pulumi.Output<string>;
  /** The provisioning task's variables besides the master connection. */
  readonly provisioning: pulumi.Output<EnvVar[]>;
  /** The application's plain connection settings (POSTGRES_SERVER/PORT/DB). */
  readonly environment: pulumi.Output<EnvVar[]>;
  /** POSTGRES_USER and POSTGRES_PASSWORD, by JSON key of the secret. */
  readonly secrets: pulumi.Output<SecretVar[]>;
}

/**
 * The secret is only a container here: provision-app-role writes its value, so no resource of
 * the stack holds it and a refresh never reads it.
 */
export function appLogin(name: string, a: AppLoginArgs): AppLogin {
  const secret = new aws.secretsmanager.Secret(
    `${name}-app`,
    {
      description: `The application's login to database ${a.database} (written by gad-backup provision-app-role)`,
      kmsKeyId: a.kmsKeyArn,
      recoveryWindowInDays: 7,
      tags: a.tags,
    },
    { parent: a.parent },
  );
  const generation = String(a.generation);
  return {
    secretArn: secret.arn,
    provisioning: secret.arn.apply((arn) => [
      { name: "APP_ROLE", value: DEFAULT_DATABASE_APP_ROLE },
      { name: "APP_LOGIN_GENERATION", value: generation },
      { name: "APP_EXTENSIONS", value: DEFAULT_DATABASE_APP_EXTENSIONS.join(",") },
      { name: "APP_LOGIN_ARN", value: arn },
    ]),
    environment: a.host.apply((host) => [
      { name: "POSTGRES_SERVER", value: host },
      { name: "POSTGRES_PORT", value: String(a.port) },
      { name: "POSTGRES_DB", value: a.database },
      // A new generation makes a new task definition revision: the services roll onto it.
      { name: "GAD_DB_LOGIN_GENERATION", value: generation },
    ]),
    secrets: secret.arn.apply((arn) => [
      { name: "POSTGRES_USER", valueFrom: `${arn}:username::` },
      { name: "POSTGRES_PASSWORD", valueFrom: `${arn}:password::` },
    ]),
  };
}
