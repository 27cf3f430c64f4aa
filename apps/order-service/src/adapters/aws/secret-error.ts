/** Why a secret could not be used; the message always names the secret id and never its value. */
export type SecretProblem = 'not_found' | 'access_denied' | 'malformed' | 'unavailable';

export class SecretError extends Error {
  readonly secretId: string;
  readonly problem: SecretProblem;

  constructor(secretId: string, problem: SecretProblem, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SecretError';
    this.secretId = secretId;
    this.problem = problem;
  }
}
