// The web ACL's rules, as a pure function: AWS's managed baseline and a per-IP rate limit.

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
