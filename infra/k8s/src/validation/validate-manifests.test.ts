import { describe, expect, it } from 'vitest';
import { validateManifests } from './validate-manifests.ts';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'web:1' }] },
    },
  },
};

const securityGroupPolicy = {
  apiVersion: 'vpcresources.k8s.aws/v1beta1',
  kind: 'SecurityGroupPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, securityGroups: { groupIds: ['sg-1'] } },
};

const clusterPolicy = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'no-latest' },
  spec: {
    rules: [
      {
        name: 'no-latest',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: {
          failureAction: 'Enforce',
          message: 'no latest',
          pattern: { spec: { containers: [{ image: '!*:latest' }] } },
        },
      },
    ],
  },
};

describe('validateManifests', () => {
  it('accepts valid core objects and custom resources', () => {
    expect(validateManifests([deployment, securityGroupPolicy, clusterPolicy])).toEqual([]);
  });

  it('reports a Kubernetes object that breaks the OpenAPI schema, by name', () => {
    const broken = { ...deployment, spec: { ...deployment.spec, selector: undefined } };
    expect(validateManifests([broken])).toEqual([
      { object: 'Deployment/shop/web', problem: expect.stringMatching(/selector/) },
    ]);
  });

  it('reports a wrongly typed field', () => {
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    expect(validateManifests([broken])[0]?.problem).toMatch(/replicas/);
  });

  it('reports a ServiceMonitor that breaks the Prometheus Operator schema', () => {
    const serviceMonitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { endpoints: [{ port: 8080 }] },
    };
    expect(validateManifests([serviceMonitor])).toHaveLength(1);
  });

  it('reports a SecurityGroupPolicy with more than five groups', () => {
    const groupIds = ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'];
    const tooMany = {
      ...securityGroupPolicy,
      spec: { ...securityGroupPolicy.spec, securityGroups: { groupIds } },
    };
    expect(validateManifests([tooMany])[0]?.problem).toMatch(/groupIds/);
  });

  it('reports a Kyverno rule without a failure action', () => {
    const rule = clusterPolicy.spec.rules[0]!;
    const lax = {
      ...clusterPolicy,
      spec: { rules: [{ ...rule, validate: { message: 'x', pattern: {} } }] },
    };
    expect(validateManifests([lax])[0]?.problem).toMatch(/failureAction/);
  });

  it('refuses kinds it has no schema for, so nothing ships unchecked', () => {
    const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(validateManifests([unknown])).toEqual([
      { object: 'Widget/w', problem: 'no schema for example.com/v1/Widget' },
    ]);
  });
});
