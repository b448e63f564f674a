// What `pulumi refresh` (and `pulumi preview --refresh`) asks AWS for each resource type the
// program declares: the IAM actions of the AWS provider's read function for that type, from
// terraform-provider-aws's `resource*Read` implementations (internal/service/<service>/*.go,
// which @pulumi/aws 7 wraps), the SDK calls named in IAM's terms (Service Authorization
// Reference: https://docs.aws.amazon.com/service-authorization/latest/reference/). A HeadBucket
// is s3:ListBucket; a Describe call that also returns tags needs no separate tag action.
// The preview role must be allowed every one of them (test/policy/refresh.test.ts), and a type
// missing here fails that test: adding a resource type means saying what its refresh reads.

/** Resource type token → the IAM actions its refresh performs. */
export const REFRESH_READS: Readonly<Record<string, readonly string[]>> = {
  "aws:appautoscaling/policy:Policy": ["application-autoscaling:DescribeScalingPolicies"],
  "aws:appautoscaling/target:Target": [
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:ListTagsForResource",
  ],
  "aws:cloudfront/distribution:Distribution": [
    "cloudfront:GetDistribution",
    "cloudfront:ListTagsForResource",
  ],
  "aws:cloudfront/vpcOrigin:VpcOrigin": [
    "cloudfront:GetVpcOrigin",
    "cloudfront:ListTagsForResource",
  ],
  "aws:cloudwatch/eventRule:EventRule": ["events:DescribeRule", "events:ListTagsForResource"],
  "aws:cloudwatch/eventTarget:EventTarget": ["events:ListTargetsByRule"],
  "aws:cloudwatch/logGroup:LogGroup": ["logs:DescribeLogGroups", "logs:ListTagsForResource"],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    "cloudwatch:DescribeAlarms",
    "cloudwatch:ListTagsForResource",
  ],
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ["ec2:DescribeSecurityGroups"],
  "aws:ec2/eip:Eip": ["ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"],
  "aws:ec2/flowLog:FlowLog": ["ec2:DescribeFlowLogs"],
  "aws:ec2/internetGateway:InternetGateway": ["ec2:DescribeInternetGateways"],
  "aws:ec2/natGateway:NatGateway": ["ec2:DescribeNatGateways"],
  "aws:ec2/route:Route": ["ec2:DescribeRouteTables"],
  "aws:ec2/routeTable:RouteTable": ["ec2:DescribeRouteTables"],
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ["ec2:DescribeRouteTables"],
  "aws:ec2/securityGroup:SecurityGroup": ["ec2:DescribeSecurityGroups"],
  "aws:ec2/subnet:Subnet": ["ec2:DescribeSubnets"],
  "aws:ec2/vpc:Vpc": [
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeRouteTables",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeSecurityGroups",
  ],
  "aws:ec2/vpcEndpoint:VpcEndpoint": ["ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists"],
  "aws:ecs/cluster:Cluster": ["ecs:DescribeClusters"],
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": ["ecs:DescribeClusters"],
  "aws:ecs/service:Service": ["ecs:DescribeServices"],
  "aws:ecs/taskDefinition:TaskDefinition": ["ecs:DescribeTaskDefinition"],
  "aws:iam/role:Role": [
    "iam:GetRole",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
  ],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["iam:ListAttachedRolePolicies"],
  "aws:kms/alias:Alias": ["kms:ListAliases"],
  "aws:kms/key:Key": [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListResourceTags",
  ],
  "aws:lb/listener:Listener": [
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeTags",
  ],
  "aws:lb/listenerRule:ListenerRule": [
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTags",
  ],
  "aws:lb/loadBalancer:LoadBalancer": [
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeTags",
  ],
  "aws:lb/targetGroup:TargetGroup": [
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTags",
  ],
  "aws:rds/instance:Instance": ["rds:DescribeDBInstances", "rds:ListTagsForResource"],
  "aws:rds/parameterGroup:ParameterGroup": [
    "rds:DescribeDBParameterGroups",
    "rds:DescribeDBParameters",
    "rds:ListTagsForResource",
  ],
  "aws:rds/subnetGroup:SubnetGroup": ["rds:DescribeDBSubnetGroups", "rds:ListTagsForResource"],
  "aws:s3/bucket:Bucket": [
    "s3:ListBucket",
    "s3:GetBucketPolicy",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketWebsite",
    "s3:GetBucketVersioning",
    "s3:GetAccelerateConfiguration",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketLogging",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:GetEncryptionConfiguration",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketTagging",
  ],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": [
    "s3:GetLifecycleConfiguration",
  ],
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": [
    "s3:GetBucketObjectLockConfiguration",
  ],
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["s3:GetBucketOwnershipControls"],
  "aws:s3/bucketPolicy:BucketPolicy": ["s3:GetBucketPolicy"],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"],
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": ["s3:GetReplicationConfiguration"],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": [
    "s3:GetEncryptionConfiguration",
  ],
  "aws:s3/bucketVersioning:BucketVersioning": ["s3:GetBucketVersioning"],
  "aws:scheduler/schedule:Schedule": ["scheduler:GetSchedule"],
  "aws:scheduler/scheduleGroup:ScheduleGroup": [
    "scheduler:GetScheduleGroup",
    "scheduler:ListTagsForResource",
  ],
  "aws:secretsmanager/secret:Secret": [
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetResourcePolicy",
  ],
  // Its read returns the value: the reason this program never declares one (secret-value.ts).
  "aws:secretsmanager/secretVersion:SecretVersion": [
    "secretsmanager:GetSecretValue",
    "secretsmanager:ListSecretVersionIds",
  ],
  "aws:sns/topic:Topic": ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
  "aws:sns/topicPolicy:TopicPolicy": ["sns:GetTopicAttributes"],
  "aws:sns/topicSubscription:TopicSubscription": ["sns:GetSubscriptionAttributes"],
  "aws:sqs/queue:Queue": ["sqs:GetQueueAttributes", "sqs:ListQueueTags"],
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["ec2:DescribeSecurityGroupRules"],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["ec2:DescribeSecurityGroupRules"],
  "aws:wafv2/webAcl:WebAcl": ["wafv2:GetWebACL", "wafv2:ListTagsForResource"],
  "aws:wafv2/webAclAssociation:WebAclAssociation": ["wafv2:GetWebACLForResource"],
};

/**
 * Types whose refresh calls no AWS API under the preview role: the program's components (not
 * refreshed), GitHub's resources (read with the GitHub token), provider resources, and the
 * program's dynamic resources (each declares its own reads beside its provider, e.g.
 * SECRET_VALUE_REFRESH_ACTIONS).
 */
export const NOT_AWS_REFRESH =
  /^(gad:|pulumi:pulumi:Stack$|github:|pulumi:providers:|pulumi-nodejs:dynamic:)/;
