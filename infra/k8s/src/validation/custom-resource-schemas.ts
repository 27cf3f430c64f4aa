/**
 * Hand-written JSON schemas for the custom resources no npm package describes. They cover what this
 * chart relies on (required fields, types, limits), not the whole CRD.
 */

const metadata = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 }, namespace: { type: 'string' } },
} as const;

const matchLabels = {
  type: 'object',
  required: ['matchLabels'],
  properties: {
    matchLabels: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { type: 'string' },
    },
  },
} as const;

/** vpcresources.k8s.aws/v1beta1 SecurityGroupPolicy (EKS VPC resource controller). */
export const securityGroupPolicySchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    metadata: { ...metadata, required: ['name', 'namespace'] },
    spec: {
      type: 'object',
      required: ['securityGroups'],
      additionalProperties: false,
      properties: {
        podSelector: matchLabels,
        serviceAccountSelector: matchLabels,
        securityGroups: {
          type: 'object',
          required: ['groupIds'],
          additionalProperties: false,
          properties: {
            groupIds: {
              type: 'array',
              minItems: 1,
              maxItems: 5,
              items: { type: 'string', minLength: 1 },
            },
          },
        },
      },
      anyOf: [{ required: ['podSelector'] }, { required: ['serviceAccountSelector'] }],
    },
  },
} as const;

/** kyverno.io/v1 ClusterPolicy with validate rules (Kyverno 1.13+ per-rule failureAction). */
export const kyvernoClusterPolicySchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    metadata: { ...metadata, not: { required: ['namespace'] } },
    spec: {
      type: 'object',
      required: ['rules'],
      properties: {
        background: { type: 'boolean' },
        rules: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['name', 'match', 'validate'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 63 },
              match: {
                type: 'object',
                minProperties: 1,
                properties: { any: { type: 'array' }, all: { type: 'array' } },
                additionalProperties: false,
              },
              validate: {
                type: 'object',
                required: ['message', 'failureAction'],
                properties: {
                  failureAction: { enum: ['Enforce', 'Audit'] },
                  message: { type: 'string', minLength: 1 },
                  pattern: { type: 'object' },
                  anyPattern: { type: 'array' },
                  deny: { type: 'object' },
                },
                oneOf: [
                  { required: ['pattern'] },
                  { required: ['anyPattern'] },
                  { required: ['deny'] },
                ],
              },
            },
          },
        },
      },
    },
  },
} as const;

export const customResourceSchemas: ReadonlyMap<string, object> = new Map<string, object>([
  ['vpcresources.k8s.aws/v1beta1/SecurityGroupPolicy', securityGroupPolicySchema],
  ['kyverno.io/v1/ClusterPolicy', kyvernoClusterPolicySchema],
]);
