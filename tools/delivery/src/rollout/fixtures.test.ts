import { Deployment, ReplicaSetList, type IReplicaSetList } from 'kubernetes-models/apps/v1';
import { PodList, type IPodList } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { recorded, scenarios } from '../testing/recorded-rollouts.ts';

// The recorded answers must be answers the API could give: each object is checked against the
// Kubernetes 1.34 OpenAPI schemas (kubernetes-models), like the chart's own manifests.
describe.each(scenarios)('recorded API answers: %s', (scenario) => {
  const answers = recorded(scenario);

  it('are valid Deployment, ReplicaSetList and PodList objects', () => {
    expect(() => new Deployment(answers.deployment as object).validate()).not.toThrow();
    expect(() =>
      new ReplicaSetList(answers.replicaSets as IReplicaSetList).validate(),
    ).not.toThrow();
    expect(() => new PodList(answers.pods as IPodList).validate()).not.toThrow();
  });

  it('describe the order-service Deployment and the image being rolled out', () => {
    expect(answers.deployment.metadata).toMatchObject({
      name: 'order-service',
      namespace: 'order-service',
    });
    expect(answers.expectedImage).toMatch(/\/mallhive-order-service@sha256:[a-f0-9]{64}$/);
  });
});
