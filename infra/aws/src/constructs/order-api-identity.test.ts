import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { IdentityConfig } from './order-api-identity.ts';
import { OrderApiIdentity } from './order-api-identity.ts';

const cognitoConfig: IdentityConfig = {
  kind: 'cognito',
  userPoolName: 'mallhive-dev-order-api',
  domainPrefix: 'mallhive-dev-orders',
  serviceClients: [
    { name: 'warehouse', scopes: ['fulfil', 'read'] },
    { name: 'support', scopes: ['support', 'read'] },
  ],
  extraAllowedClientIds: ['web-shop-client-id'],
  accessTokenValidityMinutes: 60,
  deletionProtection: true,
};

function identityStack(config: IdentityConfig) {
  const stack = new Stack(new App(), 'Identity', {
    env: { account: '111111111111', region: 'eu-central-1' },
  });
  const identity = new OrderApiIdentity(stack, 'Identity', {
    config,
    clientSecretPrefix: 'order-api-clients/',
  });
  return { stack, identity };
}

describe('the order API identity (Cognito)', () => {
  const { stack, identity } = identityStack(cognitoConfig);
  const template = Template.fromStack(stack);

  it('defines the resource server `orders` with the four scopes', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'orders',
      Scopes: [
        Match.objectLike({ ScopeName: 'customer' }),
        Match.objectLike({ ScopeName: 'read' }),
        Match.objectLike({ ScopeName: 'fulfil' }),
        Match.objectLike({ ScopeName: 'support' }),
      ],
    });
  });

  it.each([
    ['warehouse', ['orders/fulfil', 'orders/read']],
    ['support', ['orders/support', 'orders/read']],
  ])(
    'gives %s a confidential client-credentials app client with only its scopes',
    (name, scopes) => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        ClientName: name,
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: scopes.map((scope) => ({
          'Fn::Join': [
            '',
            [{ Ref: Match.stringLikeRegexp('OrdersResourceServer') }, `/${scope.split('/')[1]}`],
          ],
        })),
        AccessTokenValidity: 60,
      });
    },
  );

  it("keeps each client's id and secret in Secrets Manager, outside the order service's own prefix", () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    const names = Object.values(secrets).map((secret) => secret['Properties']['Name']);
    expect(names.sort()).toEqual(['order-api-clients/support', 'order-api-clients/warehouse']);
    const warehouse = Object.values(secrets).find(
      (secret) => secret['Properties']['Name'] === 'order-api-clients/warehouse',
    );
    const value = JSON.stringify(warehouse?.['Properties']['SecretString']);
    // The value comes from the client's ClientSecret attribute at deploy time, never a literal.
    expect(value).toMatch(
      /"Fn::GetAtt":\["IdentityUserPoolWarehouseClient[0-9A-F]+","ClientSecret"\]/,
    );
    expect(value).toContain('/oauth2/token');
    // No custom resource that reads the secret back through a Lambda.
    expect(template.findResources('Custom::DescribeCognitoUserPoolClient')).toEqual({});
  });

  it('passes on the issuer, JWKS and allowed client ids for the ConfigMap (no aud in Cognito access tokens)', () => {
    const settings = stack.resolve(identity.settings) as Record<string, unknown>;
    expect(settings['issuer']).toEqual({
      'Fn::Join': [
        '',
        [
          'https://cognito-idp.eu-central-1.',
          { Ref: 'AWS::URLSuffix' },
          '/',
          { Ref: expect.stringMatching(/^IdentityUserPool[0-9A-F]+$/) },
        ],
      ],
    });
    expect(JSON.stringify(settings['jwksUrl'])).toContain('/.well-known/jwks.json');
    expect(settings['audience']).toBeUndefined();
    expect(settings['allowedClientIds']).toEqual([
      { Ref: expect.stringMatching(/^IdentityUserPoolWarehouseClient/) },
      { Ref: expect.stringMatching(/^IdentityUserPoolSupportClient/) },
      'web-shop-client-id',
    ]);
    template.hasOutput('*', { Description: 'AUTH_ISSUER of the order service' });
    template.hasOutput('*', { Description: 'AUTH_JWKS_URL of the order service' });
  });

  it('lets nobody sign up, requires MFA and a strong password, and keeps the pool on stack deletion', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        DeletionProtection: 'ACTIVE',
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true }) },
      }),
    });
  });

  it('passes the AwsSolutions checks (findings acknowledged with reasons)', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations).toEqual([]);
  });
});

describe('the order API identity (existing issuer)', () => {
  it('creates nothing and passes the configured issuer on, with the conventional JWKS path', () => {
    const { identity } = identityStack({
      kind: 'external',
      issuer: 'https://login.mallhive.com/',
      audience: 'order-service',
      allowedClientIds: [],
    });
    expect(identity.node.children).toEqual([]);
    expect(identity.settings).toEqual({
      issuer: 'https://login.mallhive.com/',
      jwksUrl: 'https://login.mallhive.com/.well-known/jwks.json',
      audience: 'order-service',
      allowedClientIds: [],
    });
  });
});
