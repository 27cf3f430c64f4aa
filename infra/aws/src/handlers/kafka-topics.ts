import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { ConfigResourceTypes, Kafka, type Admin } from 'kafkajs';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

/**
 * Makes the topics exist as specified: creates missing ones, raises the partition count (Kafka can
 * only add partitions) and sets retention on existing ones. Never deletes a topic or its data.
 */
export async function ensureTopics(admin: Admin, topics: readonly TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      // MSK Serverless manages replication itself: the broker default applies.
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
      })),
    });
  }
  const present = topics.filter((topic) => existing.has(topic.name));
  if (present.length === 0) return;
  const { topics: metadata } = await admin.fetchTopicMetadata({
    topics: present.map((topic) => topic.name),
  });
  const grow = present.filter(
    (topic) =>
      (metadata.find((m) => m.name === topic.name)?.partitions.length ?? 0) < topic.partitions,
  );
  if (grow.length > 0) {
    await admin.createPartitions({
      topicPartitions: grow.map((topic) => ({ topic: topic.name, count: topic.partitions })),
    });
  }
  await admin.alterConfigs({
    validateOnly: false,
    resources: present.map((topic) => ({
      type: ConfigResourceTypes.TOPIC,
      name: topic.name,
      configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
    })),
  });
}

interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: {
    readonly BootstrapBrokers: string;
    readonly Region: string;
    readonly Topics: readonly { name: string; partitions: string; retentionMs: string }[];
  };
}

/**
 * Custom resource handler (CDK Provider framework, onEvent): MSK Serverless creates no topics on first
 * use and has no topic API, so this connects with IAM authentication from inside the VPC and creates
 * them. Delete keeps the topics (and the events in them).
 */
export async function handler(event: CustomResourceEvent) {
  const { BootstrapBrokers, Region, Topics } = event.ResourceProperties;
  if (event.RequestType !== 'Delete') {
    const kafka = new Kafka({
      clientId: 'order-platform-topics',
      brokers: BootstrapBrokers.split(','),
      ssl: true,
      sasl: {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => ({
          value: (await generateAuthToken({ region: Region })).token,
        }),
      },
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      // CloudFormation passes every property as a string.
      await ensureTopics(
        admin,
        Topics.map((topic) => ({
          name: topic.name,
          partitions: Number(topic.partitions),
          retentionMs: Number(topic.retentionMs),
        })),
      );
    } finally {
      await admin.disconnect();
    }
  }
  return { PhysicalResourceId: `kafka-topics:${Topics.map((topic) => topic.name).join(',')}` };
}
