// `provision-app-role`: the application's database role and its credential (app-role.ts), run
// by `pulumi up` as an ECS task before any migration or service roll, with the master user's
// connection (PG*) and the application's secret (APP_LOGIN_ARN).
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { AppCredential, CredentialStore, appRoleSettings, provisionAppRole } from "../app-role";
import { CALL_LOG_ENV, recordCalls } from "../call-log";
import { connInfoFromEnv } from "../conninfo";
import { connect } from "../postgres";

/** The secret in Secrets Manager: JSON {username, password, generation}. */
export function secretsManagerStore(
  client: SecretsManagerClient,
  secretId: string,
): CredentialStore {
  return {
    async get() {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        const value = JSON.parse(out.SecretString ?? "null") as Partial<AppCredential> | null;
        if (
          typeof value?.username === "string" &&
          typeof value.password === "string" &&
          typeof value.generation === "number"
        )
          return value as AppCredential;
        return undefined; // unreadable: a new credential replaces it
      } catch (err) {
        // A secret created without a value has no AWSCURRENT version yet.
        if ((err as { name?: string }).name === "ResourceNotFoundException") return undefined;
        throw err;
      }
    },
    async put(credential) {
      await client.send(
        new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(credential) }),
      );
    },
  };
}

/** Runs the command; one JSON line on stdout says which user is current and whether it rotated. */
export async function provision(
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<void> {
  const settings = appRoleSettings(env);
  const secrets = new SecretsManagerClient({});
  recordCalls(secrets as never, "secretsmanager", env[CALL_LOG_ENV]);
  const client = await connect(connInfoFromEnv(env), "gad-provision");
  try {
    const store = secretsManagerStore(secrets, env.APP_LOGIN_ARN as string);
    const { credential, rotated } = await provisionAppRole(client, store, settings);
    out(
      JSON.stringify({
        level: "info",
        message: rotated
          ? `role ${settings.role}: ${credential.username} has a new password (generation ${credential.generation})`
          : `role ${settings.role}: ${credential.username} as stored (generation ${credential.generation})`,
        role: settings.role,
        user: credential.username,
        generation: credential.generation,
        rotated,
      }),
    );
  } finally {
    await client.end().catch(() => undefined);
    secrets.destroy();
  }
}
