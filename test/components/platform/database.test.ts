import { strict as assert } from "assert";
import { RecordingMocks, installMocks, secretValue, settle, valueOf } from "../../mocks";
import type * as pulumi from "@pulumi/pulumi";
import type * as DatabaseModule from "../../../components/platform/database";

const INSTANCE = "aws:rds/instance:Instance";
const SUBNETS = ["subnet-a", "subnet-b"];

describe("Database", () => {
  const mocks = new RecordingMocks();
  let mod: typeof DatabaseModule;

  before(async () => {
    await installMocks(mocks);
    mod = await import("../../../components/platform/database");
  });
  beforeEach(() => mocks.reset());

  function rds(args: Partial<DatabaseModule.DatabaseArgs> = {}) {
    return new mod.Database("gad-test-db", {
      region: "sa-east-1",
      mode: "rds",
      name: "grupogad",
      vpcId: "vpc-1",
      subnetIds: SUBNETS,
      ...args,
    });
  }

  it("rds defaults: encrypted PostgreSQL 15 on gp3 with autoscaling, PITR, TLS forced, Performance Insights", async () => {
    const db = rds();
    await settle();
    const i = mocks.one(INSTANCE).inputs;
    const key = mocks.one("aws:kms/key:Key");
    const keyArn = `arn:aws:kms:sa-east-1:123456789012:key/${key.name}-key-id`;
    assert.deepEqual(
      {
        engine: i.engine,
        engineVersion: i.engineVersion,
        instanceClass: i.instanceClass,
        dbName: i.dbName,
        username: i.username,
        manageMasterUserPassword: i.manageMasterUserPassword,
        masterUserSecretKmsKeyId: i.masterUserSecretKmsKeyId,
        storageType: i.storageType,
        allocatedStorage: i.allocatedStorage,
        maxAllocatedStorage: i.maxAllocatedStorage,
        storageEncrypted: i.storageEncrypted,
        kmsKeyId: i.kmsKeyId,
        publiclyAccessible: i.publiclyAccessible,
        backupRetentionPeriod: i.backupRetentionPeriod,
        multiAz: i.multiAz,
        deletionProtection: i.deletionProtection,
        skipFinalSnapshot: i.skipFinalSnapshot,
        performanceInsightsEnabled: i.performanceInsightsEnabled,
        performanceInsightsKmsKeyId: i.performanceInsightsKmsKeyId,
        port: i.port,
      },
      {
        engine: "postgres",
        engineVersion: "15",
        instanceClass: "db.t4g.small",
        dbName: "grupogad",
        username: "gad",
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: keyArn,
        storageType: "gp3",
        allocatedStorage: 20,
        maxAllocatedStorage: 100,
        storageEncrypted: true,
        kmsKeyId: keyArn,
        publiclyAccessible: false,
        backupRetentionPeriod: 7,
        multiAz: false,
        deletionProtection: false,
        skipFinalSnapshot: true,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: keyArn,
        port: 5432,
      },
    );
    assert.equal(i.password, undefined);
    assert.equal(key.inputs.enableKeyRotation, true);
    const params = mocks.one("aws:rds/parameterGroup:ParameterGroup").inputs;
    assert.equal(params.family, "postgres15");
    assert.deepEqual(params.parameters, [{ name: "rds.force_ssl", value: "1" }]);
    assert.deepEqual(mocks.one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, SUBNETS);
    assert.equal([key.protect, mocks.one(INSTANCE).protect].join(), "false,false");
    assert.equal(db.engineVersion, "15");
  });

  it("gives tasks the connection without a password, and the password from RDS's secret", async () => {
    const db = rds();
    const env = await valueOf(db.environment);
    assert.deepEqual(env, [
      { name: "PGHOST", value: "gad-test-db.abcdefghij.sa-east-1.rds.amazonaws.com" },
      { name: "PGPORT", value: "5432" },
      { name: "PGDATABASE", value: "grupogad" },
      { name: "PGUSER", value: "gad" },
      { name: "PGSSLMODE", value: "verify-full" },
      { name: "PGSSLROOTCERT", value: "/etc/ssl/certs/rds-global-bundle.pem" },
    ]);
    const secret = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:rds!db-gad-test-db-XyZ123";
    assert.deepEqual(await valueOf(db.secrets), [
      { name: "PGPASSWORD", valueFrom: `${secret}:password::` },
    ]);
    assert.deepEqual(await Promise.all(db.secretArns.map(valueOf)), [secret]);
  });

  it("rds: the application gets its own login (a secret the provisioning task writes), never the master's", async () => {
    const db = rds({ appCredentialGeneration: 3 });
    await settle();
    const login = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:gad-test-db-app-AbCdEf";
    const secret = mocks.named("aws:secretsmanager/secret:Secret", "gad-test-db-app").inputs;
    assert.equal(secret.kmsKeyId, mocks.named("aws:kms/key:Key", "gad-test-db-key").state.arn);
    assert.equal(
      mocks.ofType("pulumi-nodejs:dynamic:Resource").length,
      0,
      "no value in the stack: provision-app-role writes it",
    );
    assert.deepEqual(await valueOf(db.appSecrets), [
      { name: "POSTGRES_USER", valueFrom: `${login}:username::` },
      { name: "POSTGRES_PASSWORD", valueFrom: `${login}:password::` },
    ]);
    assert.deepEqual(await Promise.all(db.appSecretArns.map(valueOf)), [login]);
    assert.deepEqual(await valueOf(db.provisioning as pulumi.Output<unknown>), [
      { name: "APP_ROLE", value: "gad_app" },
      { name: "APP_LOGIN_GENERATION", value: "3" },
      { name: "APP_EXTENSIONS", value: "postgis,postgis_topology,pgcrypto" },
      { name: "APP_LOGIN_ARN", value: login },
    ]);
    const env = await valueOf(db.appEnvironment);
    assert.deepEqual(
      env.map((e) => e.name),
      ["POSTGRES_SERVER", "POSTGRES_PORT", "POSTGRES_DB", "GAD_DB_LOGIN_GENERATION"],
    );
  });

  it("production settings: Multi-AZ, deletion protection, final snapshot, protect", async () => {
    rds({
      multiAz: true,
      deletionProtection: true,
      finalSnapshot: true,
      protect: true,
      backupRetentionDays: 14,
      instanceClass: "db.m7g.large",
    });
    await settle();
    const instance = mocks.one(INSTANCE);
    assert.equal(instance.inputs.multiAz, true);
    assert.equal(instance.inputs.deletionProtection, true);
    assert.equal(instance.inputs.skipFinalSnapshot, false);
    assert.equal(instance.inputs.finalSnapshotIdentifier, "gad-test-db-final");
    assert.equal(instance.inputs.backupRetentionPeriod, 14);
    assert.equal(instance.inputs.instanceClass, "db.m7g.large");
    assert.deepEqual([instance.protect, instance.retainOnDelete], [true, true]);
    const key = mocks.one("aws:kms/key:Key");
    assert.deepEqual([key.protect, key.retainOnDelete], [true, true]);
  });

  it("admits only the security groups it is told, on its port", async () => {
    const db = rds({ port: 6432 });
    db.allowFrom("backup", "sg-backup");
    await settle();
    const sg = mocks.one("aws:ec2/securityGroup:SecurityGroup").inputs;
    assert.equal(sg.ingress, undefined);
    assert.equal(sg.egress, undefined);
    const rules = mocks.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.deepEqual(
      rules.map((r) => [
        r.name,
        r.inputs.referencedSecurityGroupId,
        r.inputs.fromPort,
        r.inputs.toPort,
      ]),
      [["gad-test-db-from-backup", "sg-backup", 6432, 6432]],
    );
    assert.equal(rules[0].inputs.cidrIpv4, undefined);
  });

  it("external: the URL goes to Secrets Manager as a secret, tasks get DATABASE_URL from it", async () => {
    const db = new mod.Database("gad-test-db", {
      region: "sa-east-1",
      mode: "external",
      name: "grupogad",
      vpcId: "vpc-1",
      subnetIds: [],
      url: "postgresql://app:pw@db.example.org:5432/grupogad",
    });
    db.allowFrom("backup", "sg-backup");
    await settle();
    assert.equal(mocks.ofType(INSTANCE).length, 0);
    assert.equal(
      mocks.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length,
      0,
    );
    const version = mocks.one("pulumi-nodejs:dynamic:Resource").inputs;
    assert.equal(
      secretValue(version.secretString),
      "postgresql://app:pw@db.example.org:5432/grupogad",
    );
    const secretArn = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:gad-test-db-url-AbCdEf";
    assert.deepEqual(await valueOf(db.secrets), [{ name: "DATABASE_URL", valueFrom: secretArn }]);
    assert.deepEqual(await valueOf(db.environment), []);
  });

  it("reports every bad input at once", () => {
    assert.throws(
      () =>
        rds({
          name: "Grupo-GAD",
          engineVersion: "14",
          subnetIds: ["subnet-a"],
          allocatedStorageGiB: 50,
          maxAllocatedStorageGiB: 40,
          backupRetentionDays: 0,
        }),
      (err: Error) => {
        for (const part of [
          /name must be a lower case SQL identifier .* \(got "Grupo-GAD"\)/,
          /engineVersion must be a PostgreSQL major version from 15/,
          /subnetIds must name subnets in at least two AZs \(got 1\)/,
          /maxAllocatedStorageGiB must be at least allocatedStorageGiB \(got 40 < 50\)/,
          /backupRetentionDays must be from 1 to 35 \(got 0\)/,
        ]) {
          assert.match(err.message, part);
        }
        return true;
      },
    );
    assert.throws(
      () =>
        new mod.Database("x", {
          region: "sa-east-1",
          mode: "external",
          name: "grupogad",
          vpcId: "v",
          subnetIds: [],
        }),
      /url is required with mode external \(set the databaseUrl secret\)/,
    );
  });
});
