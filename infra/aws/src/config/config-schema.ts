import { fargateSizeProblem, peerServices, type PeerName } from '@mallhive/infra-k8s';
import { PROCESSED_MESSAGE_RETENTION_DAYS } from '@mallhive/order-contracts';
import { z } from 'zod';
import { albControllerVersions, type AlbControllerVersionName } from '../constructs/cluster.ts';
import {
  connectionBudget,
  instanceClassMemoryGiB,
  rdsDefaultMaxConnections,
} from './connection-budget.ts';
import { orderApiScopes, type OrderApiScope } from '../constructs/order-api-identity.ts';

/**
 * Runtime rules for an EnvironmentConfig. The TypeScript type says what fields exist; this schema says
 * which values AWS and PostgreSQL will accept, so a typo fails synth instead of a 40-minute deploy.
 */

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const region = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1');
const ipv4Cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, 'must be an IPv4 CIDR such as 10.0.0.0/16');
const postgresIdentifier = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,62}$/,
    'must start with a letter and use only lowercase letters, digits and underscores (no hyphens)',
  );
const dnsName = z
  .string()
  .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a lowercase DNS name');
const hostedZoneId = z
  .string()
  .regex(/^Z[A-Z0-9]{5,31}$/, 'must be a Route 53 hosted zone id (Z...)');
const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN');
const semver = z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a version such as 1.2.3');
const addOnVersion = z
  .string()
  .regex(
    /^v\d+\.\d+\.\d+-eksbuild\.\d+$/,
    'must be an EKS add-on version such as v1.12.3-eksbuild.1',
  );
const logRetentionDays = z
  .number()
  .refine(
    (days) =>
      [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
        3288, 3653,
      ].includes(days),
    'must be a retention CloudWatch Logs supports (1, 3, 5, 7, 14, 30, 60, 90, ..., 365, ...)',
  );

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Minutes of the week covered by `ddd:hh:mm-ddd:hh:mm`, or by `hh:mm-hh:mm` on every day. */
function minutesOfWeek(window: string): Set<number> {
  const minutes = new Set<number>();
  const at = (day: number, hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return day * 1440 + (h ?? 0) * 60 + (m ?? 0);
  };
  const add = (from: number, to: number) => {
    for (let t = from; t !== to; t = (t + 1) % (7 * 1440)) minutes.add(t);
  };
  const weekly = /^(\w{3}):(\d\d:\d\d)-(\w{3}):(\d\d:\d\d)$/.exec(window);
  if (weekly) {
    add(at(days.indexOf(weekly[1]!), weekly[2]!), at(days.indexOf(weekly[3]!), weekly[4]!));
    return minutes;
  }
  const [from, to] = window.split('-');
  for (let day = 0; day < 7; day += 1)
    add(at(day, from ?? ''), at(day, to ?? '') + (to! < from! ? 1440 : 0));
  return minutes;
}

/** RDS refuses a maintenance window that overlaps the backup window. */
function windowsOverlap(backup: string, maintenance: string): boolean {
  const backupMinutes = minutesOfWeek(backup);
  return [...minutesOfWeek(maintenance)].some((minute) => backupMinutes.has(minute));
}

const existingVpcSchema = z.object({
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id (vpc-...)'),
  vpcCidrBlock: ipv4Cidr,
  availabilityZones: z.array(z.string()).min(2, 'needs at least 2 availability zones'),
  privateSubnetIds: z
    .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id'))
    .min(2),
  isolatedSubnetIds: z
    .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id'))
    .min(2),
});

const peerNames = Object.keys(peerServices) as [PeerName, ...PeerName[]];

const workloadSchema = z
  .object({
    replicas: z.object({
      min: z.number().int().min(2, 'must be at least 2 (one pod may always be evicted)'),
      max: z.number().int(),
    }),
    resources: z
      .object({
        cpuMillis: z.number().int().positive(),
        memoryMebibytes: z.number().int().positive(),
      })
      .superRefine((resources, context) => {
        // Fargate bills the size it rounds up to: requests must fill one.
        const problem = fargateSizeProblem(resources);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
    databasePoolMax: z.number().int().min(1),
    shutdownTimeoutMs: z.number().int().positive(),
    paymentTimeout: z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 15m'),
    peerUrls: z.record(z.enum(peerNames), z.url({ protocol: /^https?$/ })),
  })
  .refine((workload) => workload.replicas.max >= workload.replicas.min, {
    error: 'must be at least replicas.min',
    path: ['replicas', 'max'],
  });

export const environmentConfigSchema = z
  .object({
    envName: z.enum(['dev', 'prod']),
    account: accountId,
    region,
    network: z.object({
      vpcCidr: ipv4Cidr,
      availabilityZones: z.array(z.string()).min(2, 'EKS needs subnets in at least 2 AZs').max(6),
      natGateways: z.number().int().min(1, 'pods need at least one NAT gateway').max(6),
      flowLogRetentionDays: logRetentionDays,
      existingVpc: existingVpcSchema.optional(),
    }),
    cluster: z.object({
      clusterName: z
        .string()
        .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, 'must be a valid EKS cluster name'),
      kubernetesVersion: z.literal('1.34', {
        error: 'must be 1.34 (the installed kubectl layer is @aws-cdk/lambda-layer-kubectl-v34)',
      }),
      publicApiCidrs: z.array(ipv4Cidr).refine((cidrs) => !cidrs.includes('0.0.0.0/0'), {
        error: 'must not open the API endpoint to 0.0.0.0/0',
      }),
      adminRoleArn: roleArn,
      albControllerVersion: z.enum(
        Object.keys(albControllerVersions) as [AlbControllerVersionName],
        {
          error: `must be one of ${Object.keys(albControllerVersions).join(', ')} (versions aws-cdk-lib ships a policy for)`,
        },
      ),
      externalDnsChartVersion: semver,
      controlPlaneLogRetentionDays: logRetentionDays,
      addOnVersions: z.object({
        coreDns: addOnVersion,
        metricsServer: addOnVersion,
      }),
    }),
    database: z
      .object({
        postgresVersion: z.string().regex(/^1[67]\.\d+$/, 'must be PostgreSQL 16.x or 17.x'),
        instanceClass: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'must look like t4g.medium'),
        allocatedStorageGiB: z.number().int().min(20, 'RDS PostgreSQL needs at least 20 GiB'),
        maxAllocatedStorageGiB: z.number().int(),
        multiAz: z.boolean(),
        deletionProtection: z.boolean(),
        snapshotOnDelete: z.boolean(),
        backupRetentionDays: z
          .number()
          .int()
          .min(1)
          .max(35, 'RDS keeps backups for at most 35 days'),
        databaseName: postgresIdentifier,
        masterUsername: postgresIdentifier,
        applicationUsername: postgresIdentifier,
        rotationDays: z.number().int().min(1).max(365),
        maxConnections: z.number().int().min(20),
        backupWindow: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be hh:mm-hh:mm (UTC)'),
        maintenanceWindow: z
          .string()
          .regex(
            /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
            'must be ddd:hh:mm-ddd:hh:mm (UTC), e.g. sun:02:00-sun:02:30',
          ),
        logRetentionDays,
        insights: z.enum(['standard', 'advanced']),
      })
      .refine((db) => db.maxAllocatedStorageGiB >= db.allocatedStorageGiB, {
        error: 'must be at least allocatedStorageGiB',
        path: ['maxAllocatedStorageGiB'],
      })
      .refine((db) => db.applicationUsername !== db.masterUsername, {
        error: 'must differ from masterUsername: the service never connects as the master user',
        path: ['applicationUsername'],
      })
      .superRefine((db, context) => {
        const rdsDefault = rdsDefaultMaxConnections(db.instanceClass);
        if (rdsDefault === undefined) {
          context.addIssue({
            code: 'custom',
            path: ['instanceClass'],
            message: `must be one of ${Object.keys(instanceClassMemoryGiB).join(', ')} (classes whose memory, and so connection limit, is known)`,
          });
        } else if (db.maxConnections > rdsDefault) {
          context.addIssue({
            code: 'custom',
            path: ['maxConnections'],
            message: `${db.maxConnections} exceeds what RDS allows ${db.instanceClass} by default (${rdsDefault}, from its memory)`,
          });
        }
        if (windowsOverlap(db.backupWindow, db.maintenanceWindow)) {
          context.addIssue({
            code: 'custom',
            path: ['maintenanceWindow'],
            message: `must not overlap the backup window ${db.backupWindow}`,
          });
        }
      }),
    dns: z
      .object({
        privateZoneName: dnsName,
        existingPrivateZoneId: hostedZoneId.optional(),
        publicZoneName: dnsName,
        publicZoneId: hostedZoneId,
        serviceHostName: dnsName,
      })
      .refine((dns) => dns.serviceHostName.endsWith(`.${dns.privateZoneName}`), {
        error: 'must be a name inside privateZoneName',
        path: ['serviceHostName'],
      })
      .refine((dns) => dns.serviceHostName.endsWith(`.${dns.publicZoneName}`), {
        error: 'must be a name inside publicZoneName (ACM validates it there)',
        path: ['serviceHostName'],
      }),
    events: z.object({
      busName: z.string().regex(/^[\w.-]{1,256}$/, 'must be a valid EventBridge bus name'),
      orderEventSource: z.string().min(1),
      archiveRetentionDays: z.number().int().min(1),
      mskServerless: z.boolean(),
      kafkaTopic: z.string().regex(/^[\w.-]{1,249}$/, 'must be a valid Kafka topic name'),
      paymentResultsTopic: z.string().regex(/^[\w.-]{1,249}$/, 'must be a valid Kafka topic name'),
      paymentResultsGroupId: z
        .string()
        .regex(/^[\w.-]{1,255}$/, 'must be a valid consumer group id'),
      topicPartitions: z
        .number()
        .int()
        .min(1)
        .max(120, 'MSK Serverless allows at most 120 partitions per topic'),
      // The order service remembers the ids of consumed payment results for PROCESSED_MESSAGE_RETENTION
      // (PROCESSED_MESSAGE_RETENTION_DAYS by default): a consumer that lost its offsets re-reads the topic
      // from the start, and only messages the service still remembers are recognised as repeats. MSK
      // Serverless itself would take any retention.ms (AWS, "Configuration properties for MSK Serverless
      // clusters": default 7 days, editable, maximum unlimited), so this bound is the service's, not the
      // broker's.
      topicRetentionHours: z
        .number()
        .int()
        .min(1)
        .max(
          PROCESSED_MESSAGE_RETENTION_DAYS * 24,
          `must not exceed ${PROCESSED_MESSAGE_RETENTION_DAYS * 24} (${PROCESSED_MESSAGE_RETENTION_DAYS} days): ` +
            'the order service recognises a re-read payment result only for PROCESSED_MESSAGE_RETENTION ' +
            `(${PROCESSED_MESSAGE_RETENTION_DAYS} days by default); raise both together`,
        ),
      kafkaSaslSecret: z.boolean(),
    }),
    observability: z.object({
      traceSampleRatio: z.number().min(0).max(1),
      albAccessLogRetentionDays: z.number().int().min(1),
      collector: z.object({
        cpuMillis: z.number().int().positive(),
        memoryMebibytes: z.number().int().positive(),
      }),
    }),
    operations: z.object({
      podLogRetentionDays: logRetentionDays,
      alarmEmails: z.array(z.email()),
    }),
    identity: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('cognito'),
        userPoolName: z.string().regex(/^[\w\s+=,.@-]{1,128}$/, 'must be a valid user pool name'),
        // Cognito refuses prefixes containing "aws", "amazon" or "cognito".
        domainPrefix: z
          .string()
          .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label')
          .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
            error: 'must not contain aws, amazon or cognito',
          }),
        serviceClients: z
          .array(
            z.object({
              name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a lowercase name'),
              scopes: z
                .array(z.enum(Object.keys(orderApiScopes) as [OrderApiScope, ...OrderApiScope[]]))
                .min(1),
            }),
          )
          .min(1),
        extraAllowedClientIds: z.array(z.string().min(1)),
        accessTokenValidityMinutes: z.number().int().min(5).max(1440),
        deletionProtection: z.boolean(),
      }),
      z.object({
        kind: z.literal('external'),
        issuer: z.url({ protocol: /^https$/ }),
        jwksUrl: z.url({ protocol: /^https$/ }).optional(),
        audience: z.string().min(1).optional(),
        allowedClientIds: z.array(z.string().min(1)),
      }),
    ]),
    apiClientSecretPrefix: z
      .string()
      .regex(/^[a-z0-9-]+\/$/, 'must end with a slash, e.g. order-api-clients/'),
    serviceNamespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label'),
    serviceAccountName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label'),
    secretPrefix: z.string().regex(/^[a-z0-9-]+\/$/, 'must end with a slash, e.g. order-service/'),
    repositoryName: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, 'must be a valid ECR name'),
    servicePort: z.number().int().min(1024).max(65535),
    peerPorts: z.array(z.number().int().min(1).max(65535)),
    workload: workloadSchema,
    retainOnTeardown: z.boolean(),
    imageTag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, 'must be a valid image tag')
      .refine((tag) => tag !== 'latest', 'must be immutable (the git SHA), not latest'),
    imageDigest: z
      .string()
      .regex(/^sha256:[a-f0-9]{64}$/, 'must be an image digest: sha256:<64 hex digits>')
      .optional(),
    deployWorkload: z.boolean(),
  })
  .refine(
    (config) => config.network.availabilityZones.every((az) => az.startsWith(config.region)),
    { error: 'must all be in `region`', path: ['network', 'availabilityZones'] },
  )
  .refine((config) => config.cluster.adminRoleArn.split(':')[4] === config.account, {
    error: 'must be a role in the same account as `account`',
    path: ['cluster', 'adminRoleArn'],
  })
  .refine((config) => !config.apiClientSecretPrefix.startsWith(config.secretPrefix), {
    error: "must lie outside secretPrefix: the order service's role may read everything there",
    path: ['apiClientSecretPrefix'],
  })
  .refine((config) => config.network.natGateways <= config.network.availabilityZones.length, {
    error: 'cannot exceed the number of availabilityZones',
    path: ['network', 'natGateways'],
  })
  .superRefine((config, context) => {
    // The database must hold every connection the service can open at its worst moment.
    const budget = connectionBudget({
      maxReplicas: config.workload.replicas.max,
      poolMax: config.workload.databasePoolMax,
    });
    if (budget.total > config.database.maxConnections) {
      context.addIssue({
        code: 'custom',
        path: ['database', 'maxConnections'],
        message: `${config.database.maxConnections} is below the connection budget of ${budget.total}: ${budget.pods} pods (replicas.max and the rollout surge) × databasePoolMax ${config.workload.databasePoolMax} = ${budget.pools}, + ${budget.presenceLocks} presence-lock sessions (one per pod), ${budget.migrations} migrations, ${budget.rotation} rotation, ${budget.bootstrap} bootstrap, ${budget.reserved} reserved. Lower databasePoolMax or replicas.max, or raise maxConnections`,
      });
    }
    // The pod security group only lets the service reach peerPorts: a URL on another port would hang.
    for (const [peer, url] of Object.entries(config.workload.peerUrls)) {
      const port = Number(new URL(url).port || (url.startsWith('https:') ? 443 : 80));
      if (!config.peerPorts.includes(port)) {
        context.addIssue({
          code: 'custom',
          message: `must use one of peerPorts (${config.peerPorts.join(', ')}): the pod security group allows only those`,
          path: ['workload', 'peerUrls', peer],
        });
      }
    }
  });
