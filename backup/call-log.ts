// GAD_AWS_CALL_LOG=<file>: every AWS call the job makes, one JSON line each (service, operation,
// the request fields that decide authorization: bucket, key, version, prefix, secret). For an
// operator auditing what a role must allow, and for the tests that prove, by IAM simulation, that
// the roles the job runs under in ECS allow each call it really makes.
import * as fs from "fs";

export const CALL_LOG_ENV = "GAD_AWS_CALL_LOG";

export interface RecordedCall {
  readonly service: string;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** Request fields that IAM authorization depends on; never a body or a secret value. */
const AUTHORIZATION_FIELDS = [
  "Bucket",
  "Key",
  "VersionId",
  "Prefix",
  "UploadId",
  "SecretId",
  "ServerSideEncryption",
  "SSEKMSKeyId",
];

interface WithMiddleware {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: object }) => Promise<unknown>,
      options: { step: "initialize"; name: string },
    ): void;
  };
}

/** Appends each call `client` makes to `file` (once per call, before retries); no-op without a file. */
export function recordCalls(
  client: WithMiddleware,
  service: string,
  file: string | undefined,
): void {
  if (!file) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = Object.fromEntries(
        AUTHORIZATION_FIELDS.filter((k) => k in args.input).map((k) => [
          k,
          (args.input as Record<string, unknown>)[k],
        ]),
      );
      const call: RecordedCall = { service, operation: context.commandName ?? "?", input };
      fs.appendFileSync(file, `${JSON.stringify(call)}\n`);
      return next(args);
    },
    { step: "initialize", name: "gadCallLog" },
  );
}
