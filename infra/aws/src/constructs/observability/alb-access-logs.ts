import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';

export interface AlbAccessLogsProps {
  readonly retentionDays: number;
  /** Key prefix the Ingress passes to the ALB (`access_logs.s3.prefix`). */
  readonly prefix: string;
}

/**
 * The bucket the ALB writes its access logs to. ELB "Enable access logs for your Application Load
 * Balancer": SSE-S3 is the only server-side encryption it supports (not SSE-KMS); the bucket policy
 * lets the region's ELB account write (regions from before August 2022; newer regions use the
 * `logdelivery.elasticloadbalancing.amazonaws.com` principal) under `<prefix>/AWSLogs/<account>/`.
 */
export class AlbAccessLogs extends Construct {
  readonly bucket: s3.Bucket;
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: AlbAccessLogsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.prefix = props.prefix;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          expiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The same region table aws-cdk-lib's own ApplicationLoadBalancer.logAccessLogs uses.
    const elbAccount = RegionInfo.get(stack.region).elbv2Account;
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlbAccessLogDelivery',
        principals: [
          elbAccount
            ? new iam.AccountPrincipal(elbAccount)
            : new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com'),
        ],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${props.prefix}/AWSLogs/${stack.account}/*`)],
      }),
    );
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket holds the ALB access logs; logging access to it into yet another bucket would only move the question.',
    });
  }
}
