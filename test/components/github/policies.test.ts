import { strict as assert } from "assert";
import {
  appDeployPolicy,
  environmentSubject,
  githubTrustPolicy,
  previewLimitsPolicy,
  pullRequestSubject,
  stackGuardPolicy,
} from "../../../components/github/policies";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const STAGING_CLUSTER = "arn:aws:ecs:sa-east-1:123456789012:cluster/gad-staging";

describe("GitHub OIDC policies", () => {
  it("trusts exactly one subject and the STS audience, with StringEquals only", () => {
    const subject = environmentSubject("eevans-d/GRUPO_GAD", "production");
    assert.equal(subject, "repo:eevans-d/GRUPO_GAD:environment:production");
    assert.deepEqual(githubTrustPolicy(PROVIDER, subject).Statement, [
      {
        Effect: "Allow",
        Principal: { Federated: PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub":
              "repo:eevans-d/GRUPO_GAD:environment:production",
          },
        },
      },
    ]);
    const text = JSON.stringify(
      githubTrustPolicy(PROVIDER, pullRequestSubject("eevans-d/gad-infra")),
    );
    assert.doesNotMatch(text, /\*|StringLike|ForAllValues|ForAnyValue/);
    assert.match(text, /"repo:eevans-d\/gad-infra:pull_request"/);
  });

  it("the application's role acts on its own stack's services, migration and logs only", () => {
    const doc = appDeployPolicy({
      clusterArn: STAGING_CLUSTER,
      serviceNames: ["gad-staging-api-1a2b"],
      migrationFamilies: [
        "arn:aws:ecs:sa-east-1:123456789012:task-definition/gad-staging-api-migrate",
      ],
      passRoleArns: [
        "arn:aws:iam::123456789012:role/gad-staging-api-exec",
        "arn:aws:iam::123456789012:role/gad-staging-api-task",
      ],
      logGroupArns: ["arn:aws:logs:sa-east-1:123456789012:log-group:gad-staging-api"],
    });
    assert.deepEqual(
      doc.Statement.map((s) => [s.Sid, s.Action, s.Resource]),
      [
        [
          "RollOwnServices",
          ["ecs:UpdateService", "ecs:DescribeServices"],
          ["arn:aws:ecs:sa-east-1:123456789012:service/gad-staging/gad-staging-api-1a2b"],
        ],
        [
          "RunOwnMigrations",
          ["ecs:RunTask"],
          ["arn:aws:ecs:sa-east-1:123456789012:task-definition/gad-staging-api-migrate:*"],
        ],
        [
          "WatchOwnTasks",
          ["ecs:DescribeTasks", "ecs:StopTask"],
          "arn:aws:ecs:sa-east-1:123456789012:task/gad-staging/*",
        ],
        ["ReadTaskDefinitions", ["ecs:DescribeTaskDefinition"], "*"],
        [
          "PassMigrationRoles",
          ["iam:PassRole"],
          [
            "arn:aws:iam::123456789012:role/gad-staging-api-exec",
            "arn:aws:iam::123456789012:role/gad-staging-api-task",
          ],
        ],
        [
          "ReadOwnLogs",
          ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
          ["arn:aws:logs:sa-east-1:123456789012:log-group:gad-staging-api:*"],
        ],
      ],
    );
    assert.deepEqual(doc.Statement[1].Condition, { ArnEquals: { "ecs:cluster": STAGING_CLUSTER } });
    assert.doesNotMatch(JSON.stringify(doc), /production/);
  });

  it("the infrastructure deploy role is fenced off other stacks' resources and tags", () => {
    const [resources, requests] = stackGuardPolicy("staging").Statement;
    assert.deepEqual(resources, {
      Sid: "NoOtherStacksResources",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: {
        StringNotEquals: { "aws:ResourceTag/stack": "staging" },
        Null: { "aws:ResourceTag/stack": "false" },
      },
    });
    assert.deepEqual(requests.Condition, {
      StringNotEquals: { "aws:RequestTag/stack": "staging" },
      Null: { "aws:RequestTag/stack": "false" },
    });
  });

  it("a preview may not read backups, secrets, parameters or log contents", () => {
    const doc = previewLimitsPolicy(["arn:aws:s3:::gad-staging-backups-x"]);
    assert.ok(doc.Statement.every((s) => s.Effect === "Deny"));
    assert.deepEqual(doc.Statement[0].Resource, ["arn:aws:s3:::gad-staging-backups-x/*"]);
    assert.ok((doc.Statement[1].Action as string[]).includes("secretsmanager:GetSecretValue"));
  });
});
