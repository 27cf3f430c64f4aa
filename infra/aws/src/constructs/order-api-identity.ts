import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  allScopes,
  RESOURCE_SERVER,
  scopeDescriptions,
  scopeName,
  type ScopeName,
} from '@mallhive/order-contracts';
import { Construct } from 'constructs';

/** A scope's name within the resource server: `customer`, `read`, `fulfil` or `support`. */
export type OrderApiScope = ScopeName;
/** The order API's scopes by name, with their descriptions (from the contracts the service enforces). */
export const orderApiScopes = Object.fromEntries(
  allScopes.map((scope) => [scopeName(scope), scopeDescriptions[scope]]),
) as Record<OrderApiScope, string>;

/** A service that calls the order API with client-credentials tokens. */
export interface ServiceClientConfig {
  /** App client name, e.g. `warehouse`; its secret is `<clientSecretPrefix><name>`. */
  readonly name: string;
  readonly scopes: readonly OrderApiScope[];
}

export type IdentityConfig =
  | {
      /** A Cognito user pool made here: resource server `orders`, app clients for the services. */
      readonly kind: 'cognito';
      readonly userPoolName: string;
      /** Prefix of the pool's Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`), which serves the token endpoint. */
      readonly domainPrefix: string;
      readonly serviceClients: readonly ServiceClientConfig[];
      /** Further client ids whose tokens the service accepts, e.g. the web shop's user-facing client. */
      readonly extraAllowedClientIds: readonly string[];
      readonly accessTokenValidityMinutes: number;
      readonly deletionProtection: boolean;
    }
  | {
      /** The shop's own OIDC provider: only its settings are passed on. */
      readonly kind: 'external';
      readonly issuer: string;
      readonly jwksUrl?: string;
      readonly audience?: string;
      readonly allowedClientIds: readonly string[];
    };

/** What the order service needs to verify tokens (the chart's AUTH_* settings); may hold CDK tokens. */
export interface TokenVerificationSettings {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience?: string;
  readonly allowedClientIds: readonly string[];
}

export interface OrderApiIdentityProps {
  readonly config: IdentityConfig;
  /** Prefix of the client secrets, e.g. `order-api-clients/` (not the order service's own prefix: it must not read them). */
  readonly clientSecretPrefix: string;
  /** Encrypts the client secrets. */
  readonly encryptionKey?: kms.IKey;
  /** Of the client secrets: kept when the stack is torn down where data is kept (prod). Default DESTROY. */
  readonly secretRemovalPolicy?: RemovalPolicy;
}

/**
 * Who may call the order API, in AWS: a Cognito user pool acting as the OAuth 2.0 authorization server,
 * with the resource server `orders` and its four scopes, and one confidential app client per calling
 * service (client-credentials grant) whose id and secret are kept in Secrets Manager for that service.
 * With an external issuer nothing is created; either way `settings` feeds the chart's ConfigMap.
 */
export class OrderApiIdentity extends Construct {
  readonly settings: TokenVerificationSettings;
  readonly userPool?: cognito.UserPool;
  /** The OAuth token endpoint services call for client-credentials tokens. */
  readonly tokenEndpoint?: string;
  readonly clientSecrets: readonly secretsmanager.Secret[] = [];

  constructor(scope: Construct, id: string, props: OrderApiIdentityProps) {
    super(scope, id);
    const { config } = props;
    if (config.kind === 'external') {
      this.settings = {
        issuer: config.issuer,
        jwksUrl: config.jwksUrl ?? `${config.issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
        ...(config.audience ? { audience: config.audience } : {}),
        allowedClientIds: config.allowedClientIds,
      };
      return;
    }

    const pool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: config.userPoolName,
      // Accounts are made by operators (support staff), never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: config.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The pool issues client-credentials tokens to services and holds operator accounts only (no sign-up); the Plus plan adds threat protection for end-user sign-ins, which do not happen here.',
    });
    this.userPool = pool;

    const scopes = Object.fromEntries(
      Object.entries(orderApiScopes).map(([name, description]) => [
        name,
        new cognito.ResourceServerScope({ scopeName: name, scopeDescription: description }),
      ]),
    ) as Record<OrderApiScope, cognito.ResourceServerScope>;
    const resourceServer = pool.addResourceServer('OrdersResourceServer', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'Mallhive order API',
      scopes: Object.values(scopes),
    });
    const domain = pool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.domainPrefix },
    });
    const tokenEndpoint = `${domain.baseUrl()}/oauth2/token`;
    this.tokenEndpoint = tokenEndpoint;

    const clientIds = config.serviceClients.map((service) => {
      const client = pool.addClient(`${pascal(service.name)}Client`, {
        userPoolClientName: service.name,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true },
          scopes: service.scopes.map((name) =>
            cognito.OAuthScope.resourceServer(resourceServer, scopes[name]),
          ),
        },
        accessTokenValidity: Duration.minutes(config.accessTokenValidityMinutes),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
      // CloudFormation returns a generated client secret as the `ClientSecret` attribute, so the secret
      // flows from Cognito into Secrets Manager at deploy time and never appears in the template.
      const clientSecret = (client.node.defaultChild as cognito.CfnUserPoolClient).attrClientSecret;
      const secret = new secretsmanager.Secret(this, `${pascal(service.name)}ClientSecret`, {
        secretName: `${props.clientSecretPrefix}${service.name}`,
        description: `OAuth client credentials of ${service.name} for the order API (client-credentials grant)`,
        ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
        secretObjectValue: {
          clientId: SecretValue.unsafePlainText(client.userPoolClientId),
          clientSecret: SecretValue.resourceAttribute(clientSecret),
          tokenEndpoint: SecretValue.unsafePlainText(tokenEndpoint),
          scope: SecretValue.unsafePlainText(
            service.scopes.map((name) => `${RESOURCE_SERVER}/${name}`).join(' '),
          ),
        },
        removalPolicy: props.secretRemovalPolicy ?? RemovalPolicy.DESTROY,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The value is the secret Cognito generated for the app client; it is rotated by adding a new client secret in Cognito (runbook in docs/security.md), which Secrets Manager rotation cannot do.',
      });
      (this.clientSecrets as secretsmanager.Secret[]).push(secret);
      return client.userPoolClientId;
    });

    // The `iss` of the pool's tokens, as documented ("Verifying a JSON Web Token", Cognito developer guide).
    const { region, urlSuffix } = Stack.of(this);
    const issuer = `https://cognito-idp.${region}.${urlSuffix}/${pool.userPoolId}`;
    this.settings = {
      issuer,
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      // Cognito access tokens carry `client_id`, not `aud`: the service checks the client instead.
      allowedClientIds: [...clientIds, ...config.extraAllowedClientIds],
    };

    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description });
    output('Issuer', issuer, 'AUTH_ISSUER of the order service');
    output('JwksUrl', this.settings.jwksUrl, 'AUTH_JWKS_URL of the order service');
    output('TokenEndpoint', tokenEndpoint, 'OAuth token endpoint for client-credentials tokens');
    output(
      'AllowedClientIds',
      Stack.of(this).toJsonString(this.settings.allowedClientIds),
      'AUTH_ALLOWED_CLIENT_IDS of the order service',
    );
  }
}

const pascal = (name: string) =>
  name.replace(/(^|[-_ ])(\w)/g, (_match, _separator: string, letter: string) =>
    letter.toUpperCase(),
  );
