import { findPropsProblems } from '@mallhive/infra-k8s';
import { describe, expect, it } from 'vitest';
import { dev } from '../config/dev.ts';
import type { EnvironmentConfig } from '../config/environment-config.ts';
import { prod } from '../config/prod.ts';
import { orderServiceChartProps, type WorkloadResources } from './order-service-chart-props.ts';

const resources: WorkloadResources = {
  repositoryUri: '111111111111.dkr.ecr.eu-central-1.amazonaws.com/mallhive-order-service',
  certificateArn: 'arn:aws:acm:eu-central-1:111111111111:certificate/abc',
  serviceAccountName: 'order-service',
  serviceAccountRoleArn: 'arn:aws:iam::111111111111:role/order-service',
  fargateLoggingConfig: { 'output.conf': '[OUTPUT]\n    Name cloudwatch_logs\n' },
  podSecurityGroupId: 'sg-0aaaaaaaaaaaaaaa1',
  albSecurityGroupId: 'sg-0ccccccccccccccc1',
  eventBusName: 'mallhive-orders',
  region: 'eu-central-1',
  vpcCidr: '10.40.0.0/16',
  albAccessLogs: { bucketName: 'alb-logs', prefix: 'mallhive' },
  auth: {
    issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Example',
    jwksUrl:
      'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Example/.well-known/jwks.json',
    allowedClientIds: ['warehouse-id', 'support-id'],
  },
};

const withMsk: EnvironmentConfig = { ...dev, events: { ...dev.events, mskServerless: true } };

describe('chart props built from an environment config', () => {
  it.each([dev, prod])('are accepted by the chart for $envName', (config) => {
    expect(findPropsProblems(orderServiceChartProps(config, resources))).toEqual([]);
  });

  it('take sizing, log level and peers from the environment config', () => {
    const props = orderServiceChartProps(prod, resources);
    expect(props.replicas).toEqual({ min: 5, max: 15 });
    expect(props.resources).toEqual({ cpuMillis: 1000, memoryMebibytes: 2816 });
    expect(props.runtime).toMatchObject({ logLevel: 'info', databasePoolMax: 20 });
    expect(props.peerUrls).toEqual(prod.workload.peerUrls);
  });

  it('leave the Namespace to CDK and reference the CDK service account', () => {
    const props = orderServiceChartProps(dev, resources);
    expect(props.manageNamespace).toBe(false);
    expect(props.serviceAccountName).toBe(resources.serviceAccountName);
  });

  it('attach the pod group only (not the cluster group) and put the ALB behind its own group', () => {
    const props = orderServiceChartProps(dev, resources);
    expect(props.podSecurityGroupIds).toEqual([resources.podSecurityGroupId]);
    expect(props.ingress.securityGroupId).toBe(resources.albSecurityGroupId);
  });

  it('keep all AWS traffic inside the VPC, where the interface endpoints are', () => {
    expect(orderServiceChartProps(dev, resources).network).toMatchObject({
      albSubnetCidrs: ['10.40.0.0/16'],
      databaseCidrs: ['10.40.0.0/16'],
      awsEndpointCidrs: ['10.40.0.0/16'],
      kafkaCidrs: [],
    });
  });

  it('name every secret under the configured prefix, the Kafka one only with SASL', () => {
    expect(orderServiceChartProps(dev, resources).secretIds).toEqual({
      database: 'order-service/db',
      paymentCallback: 'order-service/payment-callback',
      analytics: 'order-service/analytics',
      cursor: 'order-service/cursor',
    });
    const sasl = { ...dev, events: { ...dev.events, kafkaSaslSecret: true } };
    expect(orderServiceChartProps(sasl, resources).secretIds.kafka).toBe('order-service/kafka');
  });

  it('publish to EventBridge unless the environment has MSK Serverless', () => {
    expect(orderServiceChartProps(dev, resources).eventBus).toEqual({
      kind: 'eventbridge',
      busName: 'mallhive-orders',
    });
    const props = orderServiceChartProps(withMsk, {
      ...resources,
      kafkaBootstrapBrokers: 'boot-abc.kafka-serverless.eu-central-1.amazonaws.com:9098',
    });
    expect(props.eventBus).toEqual({
      kind: 'kafka',
      brokers: 'boot-abc.kafka-serverless.eu-central-1.amazonaws.com:9098',
      topic: dev.events.kafkaTopic,
      sasl: 'aws-msk-iam',
      paymentResults: {
        topic: 'mallhive.payments.results.v1',
        groupId: 'order-service-payment-results',
      },
    });
    expect(props.network.kafkaCidrs).toEqual(['10.40.0.0/16']);
  });

  it('refuse MSK without its bootstrap brokers', () => {
    expect(() => orderServiceChartProps(withMsk, resources)).toThrow(/bootstrap brokers/);
  });

  it("refuse a namespace other than the chart's (the IRSA account would be orphaned)", () => {
    expect(() => orderServiceChartProps({ ...dev, serviceNamespace: 'orders' }, resources)).toThrow(
      /differs from the chart's namespace "order-service"/,
    );
  });

  it('emit no custom resources for operators the stack does not install', () => {
    expect(orderServiceChartProps(dev, resources).addons).toEqual({
      prometheusOperator: false,
      kyverno: false,
      grafanaDashboardSidecar: false,
    });
  });
});
