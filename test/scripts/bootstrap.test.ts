// The bootstrap against a real AWS API emulator: creates once, changes nothing the second time,
// refuses what it cannot use, and a dry run touches nothing.
import { strict as assert } from "assert";
import {
  ListBucketsCommand,
  GetBucketVersioningCommand,
  GetBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { DisableKeyCommand, ListAliasesCommand } from "@aws-sdk/client-kms";
import { ListOpenIDConnectProvidersCommand, ListPoliciesCommand } from "@aws-sdk/client-iam";
import { useMotoEnvironment } from "../support/moto";
import {
  BootstrapOptions,
  awsClients,
  bootstrap,
  main,
  parseOptions,
} from "../../scripts/bootstrap";

const OPTIONS: BootstrapOptions = {
  region: "us-east-1",
  githubOwner: "eevans-d",
  repos: ["GRUPO_GAD", "gad-infra"],
  stacks: ["staging", "production"],
  dryRun: false,
  // Print the pulumi commands even where a CLI is installed: the test checks them, not pulumi.
  runPulumi: false,
};

describe("bootstrap (against moto_server)", function () {
  this.timeout(60_000);
  useMotoEnvironment("test");

  async function inventory() {
    const c = awsClients("us-east-1");
    const buckets = (await c.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    const aliases =
      (await c.kms.send(new ListAliasesCommand({}))).Aliases?.map((a) => a.AliasName).filter(
        (a) => !a?.startsWith("alias/aws/"),
      ) ?? [];
    const oidc =
      (await c.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList?.map(
        (p) => p.Arn,
      ) ?? [];
    const policies =
      (await c.iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies?.map(
        (p) => p.PolicyName,
      ) ?? [];
    return { buckets, aliases, oidc, policies };
  }

  it("creates everything on the first run, and changes nothing on the second", async () => {
    const first: string[] = [];
    await bootstrap(OPTIONS, (l) => first.push(l));
    const after = await inventory();
    assert.deepEqual(after, {
      buckets: ["gad-pulumi-state-123456789012-us-east-1"],
      aliases: ["alias/gad-pulumi-secrets"],
      oidc: ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"],
      policies: ["gad-pulumi-state-read", "gad-pulumi-state-write"],
    });
    const text = first.join("\n");
    assert.match(text, /created the KMS key alias\/gad-pulumi-secrets/);
    assert.match(text, /created the state bucket gad-pulumi-state-123456789012-us-east-1/);
    assert.match(
      text,
      /pulumi login s3:\/\/gad-pulumi-state-123456789012-us-east-1\?region=us-east-1/,
    );
    assert.match(
      text,
      /pulumi stack init production --secrets-provider awskms:\/\/alias\/gad-pulumi-secrets\?region=us-east-1/,
    );
    assert.match(text, /pulumi config set --secret --stack production githubToken/);
    const c = awsClients("us-east-1");
    const bucket = "gad-pulumi-state-123456789012-us-east-1";
    assert.equal(
      (await c.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status,
      "Enabled",
    );
    assert.match(
      String((await c.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy),
      /aws:SecureTransport/,
    );

    const second: string[] = [];
    await bootstrap(OPTIONS, (l) => second.push(l));
    const actions = second.filter((l) =>
      /^ {2}(created|enabled|encrypted|blocked|required|added)/.test(l),
    );
    assert.deepEqual(actions, [], "a second run changes nothing");
    assert.ok(second.filter((l) => /unchanged/.test(l)).length >= 7, second.join("\n"));
    assert.deepEqual(await inventory(), after);
  });

  it("a dry run reports what it would do and changes nothing", async () => {
    const lines: string[] = [];
    await bootstrap({ ...OPTIONS, dryRun: true }, (l) => lines.push(l));
    assert.match(lines.join("\n"), /would create the state bucket/);
    assert.deepEqual(await inventory(), { buckets: [], aliases: [], oidc: [], policies: [] });
  });

  it("refuses a secrets key it cannot use, saying what to do", async () => {
    await bootstrap(OPTIONS, () => undefined);
    const c = awsClients("us-east-1");
    const alias = (await c.kms.send(new ListAliasesCommand({}))).Aliases?.find(
      (a) => a.AliasName === "alias/gad-pulumi-secrets",
    );
    await c.kms.send(new DisableKeyCommand({ KeyId: alias?.TargetKeyId }));
    await assert.rejects(
      bootstrap(OPTIONS, () => undefined),
      /alias\/gad-pulumi-secrets points at key .* which is Disabled: enable it .* then run the bootstrap again/,
    );
  });

  it("names every bad argument, and exits 2", async () => {
    assert.throws(
      () =>
        parseOptions(["--region", "sao-paulo", "--github-owner", "eevans-d/x", "--stacks", "prod"]),
      (err: Error) =>
        /--region must be an AWS region/.test(err.message) &&
        /--github-owner must be a GitHub user or organization/.test(err.message) &&
        /--repos must name the repositories/.test(err.message) &&
        /--stacks: there is no Pulumi.prod.yaml/.test(err.message),
    );
    assert.equal(await main(["--region", "x"], () => undefined), 2);
  });
});
