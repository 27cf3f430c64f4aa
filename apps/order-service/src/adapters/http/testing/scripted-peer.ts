import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';

/** A real HTTP server on loopback whose answers each test scripts, recording what it received. */
interface ScriptedAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Wait this long before answering (to provoke client timeouts or fill a bulkhead). */
  readonly delayMs?: number;
}

interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly at: number;
}

export interface ScriptedPeer {
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** The most requests that were being answered at the same time. */
  readonly maxConcurrent: () => number;
  /** Answers every following request with `answer` (a function sees the request number, from 0). */
  answer(
    answer: ScriptedAnswer | ((request: ReceivedRequest, index: number) => ScriptedAnswer),
  ): void;
  close(): Promise<void>;
}

export async function startScriptedPeer(): Promise<ScriptedPeer> {
  const app = Fastify();
  const received: ReceivedRequest[] = [];
  let script: (request: ReceivedRequest, index: number) => ScriptedAnswer = () => ({
    status: 200,
    body: {},
  });
  let inFlight = 0;
  let maxInFlight = 0;

  app.all('/*', async (request, reply) => {
    const entry: ReceivedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body,
      at: Date.now(),
    };
    const answer = script(entry, received.length);
    received.push(entry);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (answer.delayMs) await sleep(answer.delayMs);
      return await reply
        .code(answer.status)
        .headers(answer.headers ?? {})
        .send(answer.body);
    } finally {
      inFlight -= 1;
    }
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });

  return {
    url,
    received,
    maxConcurrent: () => maxInFlight,
    answer(answer) {
      script = typeof answer === 'function' ? answer : () => answer;
    },
    close: () => app.close(),
  };
}
