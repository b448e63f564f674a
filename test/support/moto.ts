// moto_server, the AWS API emulator on the machine image, on its own loopback port.
import { ChildProcess, spawn, spawnSync } from "child_process";
import {
  CreateBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { freePort, waitFor } from "./net";

export const TEST_REGION = "us-east-1";

/** Fake credentials for the SDK's default chain; moto accepts any. */
export const AWS_TEST_ENV = {
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  AWS_REGION: TEST_REGION,
  AWS_EC2_METADATA_DISABLED: "true",
};

const TEST_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

export class Moto {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<Moto> {
    if (spawnSync("sh", ["-c", "command -v moto_server"]).status !== 0) {
      throw new Error(
        "moto_server not found: it is part of the machine image (pip install 'moto[server]')",
      );
    }
    const port = await freePort();
    const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
      stdio: "ignore",
    });
    const endpoint = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        try {
          await fetch(`${endpoint}/moto-api/`);
          return true;
        } catch {
          return false;
        }
      },
      30_000,
      "moto_server to answer",
    );
    return new Moto(child, endpoint);
  }

  client(endpoint = this.endpoint): S3Client {
    return new S3Client({
      region: TEST_REGION,
      endpoint,
      forcePathStyle: true,
      credentials: TEST_CREDENTIALS,
    });
  }

  secretsManager(): SecretsManagerClient {
    return new SecretsManagerClient({
      region: TEST_REGION,
      endpoint: this.endpoint,
      credentials: TEST_CREDENTIALS,
    });
  }

  /** A secret with no value yet, as the stack creates its containers; resolves with its ARN. */
  async createSecret(name: string): Promise<string> {
    const sm = this.secretsManager();
    try {
      return (await sm.send(new CreateSecretCommand({ Name: name }))).ARN as string;
    } finally {
      sm.destroy();
    }
  }

  async createBucket(name: string, versioned = true): Promise<void> {
    const s3 = this.client();
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    if (versioned) {
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: name,
          VersioningConfiguration: { Status: "Enabled" },
        }),
      );
    }
    s3.destroy();
  }

  /** A versioned bucket with Object Lock and a default retention, as production's. */
  async createLockedBucket(name: string, mode: "GOVERNANCE" | "COMPLIANCE", days: number) {
    const s3 = this.client();
    try {
      await s3.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }));
      await s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket: name,
          ObjectLockConfiguration: {
            ObjectLockEnabled: "Enabled",
            Rule: { DefaultRetention: { Mode: mode, Days: days } },
          },
        }),
      );
    } finally {
      s3.destroy();
    }
  }

  /** Every object version and every multipart upload still open in `bucket`. */
  async contents(bucket: string): Promise<{ keys: string[]; openUploads: number }> {
    const s3 = this.client();
    try {
      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      return {
        keys: (versions.Versions ?? []).map((v) => v.Key as string).sort(),
        openUploads: (uploads.Uploads ?? []).length,
      };
    } finally {
      s3.destroy();
    }
  }

  stop(): void {
    this.child.kill("SIGTERM");
  }
}

/**
 * For a describe block: a moto_server (one for the block, or a fresh one per test) and the AWS
 * environment pointing at it — test credentials and AWS_ENDPOINT_URL — restored afterwards.
 */
export function useMotoEnvironment(per: "block" | "test"): { endpoint(): string } {
  let moto: Moto | undefined;
  const saved: Record<string, string | undefined> = {};
  const start = async () => {
    moto = await Moto.start();
    for (const [k, v] of Object.entries({ ...AWS_TEST_ENV, AWS_ENDPOINT_URL: moto.endpoint })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  };
  const stop = () => {
    moto?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  if (per === "block") {
    before(start);
    after(stop);
  } else {
    beforeEach(start);
    afterEach(stop);
  }
  return {
    endpoint() {
      if (!moto) throw new Error("internal: moto has not started");
      return moto.endpoint;
    },
  };
}
