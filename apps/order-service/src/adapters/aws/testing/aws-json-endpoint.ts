/**
 * A tiny local AWS endpoint speaking the JSON 1.1 protocol (`X-Amz-Target: <service>.<Operation>`), so
 * tests run the real AWS SDK clients — serialisation, error parsing, retries — without an AWS account.
 * Test support only; not used by the service.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsJsonCall {
  /** The operation, e.g. `GetSecretValue` or `PutEvents`. */
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/** A successful answer, or an AWS error (`__type`) with its HTTP status (400 unless given). */
export type AwsJsonReply =
  | { readonly output: Record<string, unknown> }
  | { readonly error: string; readonly message: string; readonly status?: number };

export interface AwsJsonEndpoint {
  readonly url: string;
  readonly calls: AwsJsonCall[];
  close(): Promise<void>;
}

/** Test credentials for clients pointed at the local endpoint (the SDK signs every request). */
export const testCredentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

export async function startAwsJsonEndpoint(
  reply: (call: AwsJsonCall) => AwsJsonReply | Promise<AwsJsonReply>,
): Promise<AwsJsonEndpoint> {
  const calls: AwsJsonCall[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const call: AwsJsonCall = {
        operation: target.slice(target.indexOf('.') + 1),
        input: JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>,
      };
      calls.push(call);
      const answer = await reply(call);
      const [status, body] =
        'output' in answer
          ? [200, answer.output]
          : [answer.status ?? 400, { __type: answer.error, message: answer.message }];
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
