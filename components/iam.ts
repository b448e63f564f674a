// IAM documents shared by the components: policy documents, trust policies, ARN parts.

/** One statement of an IAM policy: identity-based (no Principal) or resource-based. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/** A policy document of the statements given (undefined ones left out). */
export function policyDocument(...statements: (PolicyStatement | undefined)[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: statements.filter((s): s is PolicyStatement => s !== undefined),
  };
}

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export function arnParts(arn: string): {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
} {
  const m = /^arn:([^:]+):([^:]+):([^:]*):(\d{12}|):(.+)$/.exec(arn);
  if (!m) throw new Error(`not an ARN: ${arn}`);
  const [, partition, service, region, account, resource] = m;
  return { partition, service, region, account, resource };
}

/** Trust policy: only `service` may assume the role, on behalf of `account` (and `sourceArn`) when given. */
export function assumeRolePolicy(service: string, account?: string, sourceArn?: string) {
  const condition: Record<string, Record<string, string>> = {};
  if (account) condition.StringEquals = { "aws:SourceAccount": account };
  if (sourceArn) condition.ArnLike = { "aws:SourceArn": sourceArn };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      },
    ],
  };
}
