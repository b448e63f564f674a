// What each committed stack writes to GitHub and which AWS roles GitHub Actions may assume.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { secretValue } from "./mocks";
import { useProgram } from "./support/program";
import { DEPLOY_SESSION_SECONDS } from "../components/github/policies";
import { committedStacks } from "./support/stack-files";

const ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
const VARIABLE = "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable";
const ROLE = "aws:iam/role:Role";
const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

describe("committed stacks: GitHub environments and OIDC roles", () => {
  const { mocks, run } = useProgram();

  const variables = (repo: string) =>
    Object.fromEntries(
      mocks
        .ofType(VARIABLE)
        .filter((v) => v.inputs.repository === repo)
        .map((v) => [v.inputs.variableName, v.inputs.value]),
    );
  const trust = (name: string) => JSON.parse(mocks.named(ROLE, name).inputs.assumeRolePolicy);

  it("production: an environment in both repositories, reviewed by eevans-d (who may approve a run he starts: he is the only reviewer), no admin bypass", async () => {
    await run("production");
    const environments = mocks.ofType(ENVIRONMENT).map((e) => e.inputs);
    assert.deepEqual(
      environments.map((e) => [e.repository, e.environment]),
      [
        ["GRUPO_GAD", "production"],
        ["gad-infra", "production"],
      ],
    );
    for (const e of environments) {
      assert.deepEqual(e.reviewers, [{ users: [4242001], teams: [] }]);
      assert.equal(e.preventSelfReview, false);
      assert.equal(e.canAdminsBypass, false);
      assert.deepEqual(e.deploymentBranchPolicy, {
        protectedBranches: false,
        customBranchPolicies: true,
      });
    }
    const policies = mocks
      .ofType(
        "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
      )
      .map((p) => [p.inputs.repository, p.inputs.branchPattern ?? `tag:${p.inputs.tagPattern}`]);
    assert.deepEqual(policies.sort(), [
      ["GRUPO_GAD", "main"],
      ["GRUPO_GAD", "master"],
      ["gad-infra", "main"],
      ["gad-infra", "master"],
    ]);
  });

  it("staging: no reviewers, any branch, no wait", async () => {
    await run("staging");
    for (const e of mocks.ofType(ENVIRONMENT).map((x) => x.inputs)) {
      assert.deepEqual(e.reviewers, []);
      assert.equal(e.deploymentBranchPolicy, undefined);
      assert.equal(e.waitTimer, 0);
    }
  });

  for (const stack of committedStacks()) {
    it(`${stack}: every variable comes from the stack's outputs`, async () => {
      const outputs = await run(stack);
      const app = variables("GRUPO_GAD");
      const infra = variables("gad-infra");
      const services = outputs.services as Record<string, { serviceName: pulumi.Output<string> }>;
      const value = (o: unknown) =>
        new Promise((resolve) => (o as pulumi.Output<unknown>).apply(resolve));
      assert.deepEqual(Object.keys(app).sort(), [
        "APP_URL",
        "AWS_REGION",
        "AWS_ROLE_ARN",
        "BACKUP_BUCKET",
        "ECS_CLUSTER",
        "ECS_SERVICE_API",
        "MIGRATION_COMMAND_API",
      ]);
      assert.equal(app.AWS_REGION, "sa-east-1");
      assert.equal(app.ECS_CLUSTER, await value(outputs.clusterName));
      assert.equal(app.BACKUP_BUCKET, await value(outputs.backupBucketName));
      assert.equal(app.APP_URL, await value(outputs.url));
      assert.equal(app.ECS_SERVICE_API, await value(services.api.serviceName));
      assert.equal(
        app.MIGRATION_COMMAND_API,
        await value(
          (outputs.services as Record<string, { runMigrationCommand: unknown }>).api
            .runMigrationCommand,
        ),
      );
      assert.match(app.AWS_ROLE_ARN, new RegExp(`role/gad-${stack}-grupo-gad-deploy$`));
      assert.match(infra.AWS_ROLE_ARN, new RegExp(`role/gad-${stack}-gad-infra-deploy$`));
      // Jobs without an environment (pull-request previews, scheduled drift) read it from the repository.
      const repoVariable = mocks
        .ofType("github:index/actionsVariable:ActionsVariable")
        .map((v) => [v.inputs.repository, v.inputs.variableName, v.inputs.value]);
      assert.equal(repoVariable.length, 1);
      assert.deepEqual(repoVariable[0].slice(0, 2), [
        "gad-infra",
        `AWS_PREVIEW_ROLE_ARN_${stack.toUpperCase()}`,
      ]);
      assert.match(repoVariable[0][2], new RegExp(`role/gad-${stack}-gad-infra-preview$`));
      assert.equal("AWS_PREVIEW_ROLE_ARN" in infra, false);
    });

    it(`${stack}: each role trusts exactly its repository's ${stack} environment (the preview: pull requests and main)`, async () => {
      await run(stack);
      const expected: Record<string, string | string[]> = {
        [`gad-${stack}-grupo-gad-deploy`]: `repo:eevans-d/GRUPO_GAD:environment:${stack}`,
        [`gad-${stack}-gad-infra-deploy`]: `repo:eevans-d/gad-infra:environment:${stack}`,
        [`gad-${stack}-gad-infra-preview`]: [
          "repo:eevans-d/gad-infra:pull_request",
          "repo:eevans-d/gad-infra:ref:refs/heads/main",
        ],
      };
      for (const [role, sub] of Object.entries(expected)) {
        const [statement, ...rest] = trust(role).Statement;
        assert.equal(rest.length, 0, role);
        assert.deepEqual(statement.Principal, { Federated: PROVIDER });
        assert.deepEqual(statement.Condition, {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": sub,
          },
        });
        // The infrastructure deploy must not lose its credentials mid-update (a first production
        // deploy can take over an hour); every other role keeps one-hour sessions.
        assert.equal(
          mocks.named(ROLE, role).inputs.maxSessionDuration,
          role.endsWith("-gad-infra-deploy") ? DEPLOY_SESSION_SECONDS : 3600,
          role,
        );
      }
    });
  }

  it("staging's roles cannot act on production's resources", async () => {
    await run("staging");
    const app = JSON.stringify(
      mocks.named(ROLE, "gad-staging-grupo-gad-deploy").inputs.inlinePolicies,
    );
    assert.doesNotMatch(app, /production/);
    assert.match(app, /cluster\/gad-staging|service\/gad-staging/);
    const guard = JSON.parse(
      mocks.named(ROLE, "gad-staging-gad-infra-deploy").inputs.inlinePolicies[0].policy,
    );
    assert.deepEqual(guard.Statement[0].Condition.StringNotEquals, {
      "aws:ResourceTag/stack": "staging",
    });
    const attached = mocks
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .map((a) => [a.name, a.inputs.policyArn]);
    assert.deepEqual(attached.sort(), [
      ["gad-staging-gad-infra-deploy", "arn:aws:iam::aws:policy/AdministratorAccess"],
      ["gad-staging-gad-infra-preview", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
      [
        "gad-staging-gad-infra-preview-state",
        "arn:aws:iam::123456789012:policy/gad-pulumi-state-read",
      ],
    ]);
  });

  it("the chat webhook stays secret all the way to GitHub", async () => {
    await run("staging", { "gad:chatWebhookUrl": { secure: "x" } });
    const secrets = mocks.ofType("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
    assert.equal(secrets.length, 2);
    for (const s of secrets) {
      assert.equal(s.inputs.secretName, "CHAT_WEBHOOK_URL");
      assert.equal(secretValue(s.inputs.plaintextValue), "decrypted-secret-value");
    }
    const provider = mocks.one("pulumi:providers:github").inputs;
    assert.equal(provider.owner, "eevans-d");
    assert.equal(secretValue(provider.token), "test-githubToken-value");
  });

  it("a reviewer who does not exist fails the run, naming the reviewer", async () => {
    await assert.rejects(
      run("production", { "gad:github.requiredReviewers": ["eevans-d", "eevans-d/nobody"] }),
      (err: unknown) => {
        assert.ok(err instanceof pulumi.RunError, String(err));
        assert.match(
          err.message,
          /^gad:github.requiredReviewers: eevans-d\/nobody could not be found on GitHub \(team nobody of eevans-d: .*404 Not Found/,
        );
        return true;
      },
    );
  });

  it("a team reviewer resolves to its id", async () => {
    await run("production", { "gad:github.requiredReviewers": ["eevans-d/gad-ops", "octocat"] });
    assert.deepEqual(mocks.ofType(ENVIRONMENT)[0].inputs.reviewers, [
      { users: [583231], teams: [9100] },
    ]);
  });

  it("no OIDC provider in the account: a clear error that points at the bootstrap", async () => {
    mocks.calls["aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider"] = () => {
      throw Object.assign(new Error("x"), {
        details: "NoSuchEntity: OpenIDConnect provider not found",
      });
    };
    await assert.rejects(
      run("staging"),
      /GitHub's OIDC provider .* was not found in this account \(NoSuchEntity.*\): run the bootstrap/,
    );
  });
});
