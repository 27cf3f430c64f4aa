import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ensureTopics, type TopicSpec } from './kafka-topics.ts';

// No Kafka broker runs here: a recording stand-in for kafkajs's Admin with the topics it "has".
function fakeAdmin(existing: Record<string, number>) {
  const calls: { method: string; args: unknown }[] = [];
  const record =
    (method: string, result: unknown = undefined) =>
    async (args?: unknown) => {
      calls.push({ method, args });
      return result;
    };
  const admin = {
    listTopics: async () => Object.keys(existing),
    createTopics: record('createTopics', true),
    createPartitions: record('createPartitions', true),
    alterConfigs: record('alterConfigs'),
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
      topics: topics.map((name) => ({
        name,
        partitions: Array.from({ length: existing[name] ?? 0 }, (_, partitionId) => ({
          partitionId,
        })),
      })),
    }),
  } as unknown as Admin;
  return { admin, calls };
}

const orders: TopicSpec = { name: 'mallhive.orders.v1', partitions: 6, retentionMs: 604_800_000 };
const results: TopicSpec = {
  name: 'mallhive.payments.results.v1',
  partitions: 6,
  retentionMs: 604_800_000,
};

describe('making the Kafka topics exist', () => {
  it('creates missing topics with their partitions and retention', async () => {
    const { admin, calls } = fakeAdmin({});
    await ensureTopics(admin, [orders, results]);
    expect(calls).toEqual([
      {
        method: 'createTopics',
        args: {
          waitForLeaders: true,
          topics: [orders, results].map((t) => ({
            topic: t.name,
            numPartitions: 6,
            configEntries: [{ name: 'retention.ms', value: '604800000' }],
          })),
        },
      },
    ]);
  });

  it('adds partitions and sets retention on existing topics, never recreating them', async () => {
    const { admin, calls } = fakeAdmin({
      'mallhive.orders.v1': 3,
      'mallhive.payments.results.v1': 6,
    });
    await ensureTopics(admin, [orders, results]);
    expect(calls.map((c) => c.method)).toEqual(['createPartitions', 'alterConfigs']);
    expect(calls[0]?.args).toEqual({
      topicPartitions: [{ topic: 'mallhive.orders.v1', count: 6 }],
    });
  });

  it('does not try to shrink a topic (Kafka cannot remove partitions)', async () => {
    const { admin, calls } = fakeAdmin({ 'mallhive.orders.v1': 12 });
    await ensureTopics(admin, [orders]);
    expect(calls.map((c) => c.method)).toEqual(['alterConfigs']);
  });
});
