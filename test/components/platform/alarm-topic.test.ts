import { strict as assert } from "assert";
import { RecordingMocks, callerIdentity, installMocks, settle } from "../../mocks";
import type * as AlarmTopicModule from "../../../components/platform/alarm-topic";

const ACCOUNT = "210987654321";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const POLICY = "aws:sns/topicPolicy:TopicPolicy";
const FORMER = "urn:pulumi:test::gad::gad:backup:ScheduledBackup$gad:backup:BackupAlarms::t-alarms";

describe("AlarmTopic", () => {
  const mocks = new RecordingMocks({
    "aws:index/getCallerIdentity:getCallerIdentity": callerIdentity(ACCOUNT),
  });
  let mod: typeof AlarmTopicModule;

  before(async () => {
    await installMocks(mocks, { stack: "test" });
    mod = await import("../../../components/platform/alarm-topic");
  });
  beforeEach(() => mocks.reset());

  it("encrypts the topic with its own rotating key, administered by the caller's account", async () => {
    new mod.AlarmTopic("t-alarms", { emails: ["ops@example.org", "oncall@example.org"] });
    await settle();
    const key = mocks.named("aws:kms/key:Key", "t-alarms-key").inputs;
    assert.equal(key.enableKeyRotation, true);
    assert.deepEqual(JSON.parse(key.policy).Statement, [
      {
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AlarmSourcesPublish",
        Effect: "Allow",
        Principal: { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    assert.equal(mocks.one(TOPIC).inputs.kmsMasterKeyId, "t-alarms-key-id");
    assert.deepEqual(
      mocks.ofType(SUBSCRIPTION).map((s) => [s.name, s.inputs.protocol, s.inputs.endpoint]),
      [
        ["t-alarms-email-1", "email", "ops@example.org"],
        ["t-alarms-email-2", "email", "oncall@example.org"],
      ],
    );
    assert.equal(mocks.ofType(POLICY).length, 0, "no policy until publishFrom names the rules");
  });

  it("publishFrom: the account, its alarms and the named rules may publish; once per topic", async () => {
    const topic = new mod.AlarmTopic("t-alarms", {});
    const rule = `arn:aws:events:sa-east-1:${ACCOUNT}:rule/t-stopped`;
    topic.publishFrom([rule]);
    assert.throws(
      () => topic.publishFrom([rule]),
      /AlarmTopic t-alarms: publishFrom may be called once \(an SNS topic has one policy\): pass every rule in one call/,
    );
    await settle();
    const arn = `arn:aws:sns:sa-east-1:123456789012:t-alarms`;
    assert.equal(mocks.one(POLICY).inputs.arn, arn);
    assert.deepEqual(
      JSON.parse(mocks.one(POLICY).inputs.policy),
      mod.alarmTopicPolicy(arn, [rule], "aws", ACCOUNT),
    );
    const statements = mod.alarmTopicPolicy(arn, [rule], "aws", ACCOUNT).Statement;
    assert.deepEqual(statements[1].Condition, { ArnEquals: { "aws:SourceArn": rule } });
    assert.deepEqual(statements[2].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
  });

  it("every child aliases its former parent, so a move keeps the deployed resources", async () => {
    const topic = new mod.AlarmTopic("t-alarms", {
      emails: ["ops@example.org"],
      formerParents: [FORMER],
    });
    topic.publishFrom(["arn:aws:events:sa-east-1:1:rule/r"]);
    await settle();
    const children = mocks.resources.filter((r) => r.type !== "gad:platform:AlarmTopic");
    assert.deepEqual(children.map((r) => r.type).sort(), [
      "aws:kms/key:Key",
      TOPIC,
      POLICY,
      SUBSCRIPTION,
    ]);
    for (const r of children) {
      assert.equal(r.parent, "urn:pulumi:test::gad::gad:platform:AlarmTopic::t-alarms", r.name);
      assert.deepEqual(
        r.aliases,
        [
          `urn:pulumi:test::gad::gad:backup:ScheduledBackup$gad:backup:BackupAlarms$${r.type}::${r.name}`,
        ],
        r.name,
      );
    }
  });

  it("without former parents, no aliases", async () => {
    new mod.AlarmTopic("t-alarms", {});
    await settle();
    assert.deepEqual(mocks.one(TOPIC).aliases, []);
  });
});
