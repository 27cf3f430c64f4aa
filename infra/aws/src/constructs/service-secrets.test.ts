import { Match } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { environmentNames, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('service secrets (%s)', (env) => {
  const { template } = synthesized(env);
  const encryptedWithServiceKey = { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretsKey'), 'Arn'] };

  it.each(['order-service/payment-callback', 'order-service/cursor'])('generates %s', (name) => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: name,
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      KmsKeyId: encryptedWithServiceKey,
    });
  });

  it('creates order-service/analytics empty, for operators to set', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'order-service/analytics',
      GenerateSecretString: Match.absent(),
      SecretString: Match.absent(),
      KmsKeyId: encryptedWithServiceKey,
    });
  });

  it('creates no Kafka secret while SASL is not used', () => {
    template.resourcePropertiesCountIs(
      'AWS::SecretsManager::Secret',
      { Name: 'order-service/kafka' },
      0,
    );
  });

  it(`${env === 'prod' ? 'keeps' : 'deletes'} the secrets and their key when the stack is deleted`, () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: { Name: 'order-service/analytics' },
      DeletionPolicy: env === 'prod' ? 'Retain' : 'Delete',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Encrypts the order-service/* secrets',
      EnableKeyRotation: true,
    });
  });
});
