// The web ACL: its rules as a pure function (AWS's managed baseline and a per-IP rate limit), and
// the ACL itself, for the load balancer (REGIONAL) or for CloudFront (CLOUDFRONT, in us-east-1).
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/** An AWS managed rule group, evaluated as published (its own block actions apply). */
function managed(prefix: string, ruleGroup: string, priority: number) {
  return {
    name: ruleGroup,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: ruleGroup } },
    visibilityConfig: visibility(`${prefix}-${ruleGroup}`),
  };
}

/**
 * Common rule set (OWASP-style protections), known bad inputs (Log4j, exploit paths), then a
 * block on any IP address that sends more than `rateLimit` requests in 5 minutes.
 */
export function wafRules(prefix: string, rateLimit: number) {
  return [
    managed(prefix, "AWSManagedRulesCommonRuleSet", 1),
    managed(prefix, "AWSManagedRulesKnownBadInputsRuleSet", 2),
    {
      name: "rate-limit-per-ip",
      priority: 3,
      action: { block: {} },
      statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: "IP" } },
      visibilityConfig: visibility(`${prefix}-rate-limit`),
    },
  ];
}

/**
 * A web ACL with wafRules. CLOUDFRONT-scoped ACLs exist only in us-east-1: pass a provider for
 * that region in `opts` ("AWS WAF ... CloudFront distributions", AWS WAF Developer Guide).
 */
export function webAcl(
  name: string,
  scope: "REGIONAL" | "CLOUDFRONT",
  rateLimit: number,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.wafv2.WebAcl {
  return new aws.wafv2.WebAcl(
    name,
    {
      scope,
      defaultAction: { allow: {} },
      rules: wafRules(name, rateLimit),
      visibilityConfig: visibility(name),
      tags,
    },
    opts,
  );
}
