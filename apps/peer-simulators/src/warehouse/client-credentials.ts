/** Where and as whom a service obtains OAuth 2.0 client-credentials tokens. */
export interface ClientCredentialsSettings {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated scopes to request. */
  readonly scope: string;
}

/**
 * A client-credentials token source as a calling service runs one (RFC 6749 §4.4, client authenticated
 * with HTTP Basic, as Cognito's token endpoint expects): one token, reused until shortly before it expires.
 */
export class ClientCredentials {
  private readonly settings: ClientCredentialsSettings;
  private cached: { token: string; renewAt: number } | undefined;

  constructor(settings: ClientCredentialsSettings) {
    this.settings = settings;
  }

  async token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    const { tokenUrl, clientId, clientSecret, scope } = this.settings;
    const basic = Buffer.from(
      `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
    ).toString('base64');
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
      signal: AbortSignal.timeout(5_000),
    });
    const answer = (await response.json()) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!response.ok || typeof answer.access_token !== 'string') {
      throw new Error(`token endpoint answered ${response.status} ${answer.error ?? ''}`.trim());
    }
    const lifetimeMs = (answer.expires_in ?? 300) * 1000;
    this.cached = { token: answer.access_token, renewAt: Date.now() + lifetimeMs - 30_000 };
    return answer.access_token;
  }
}
