import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import { inputLimits } from './input-limits.ts';
import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

/**
 * What Node itself refuses before a request reaches Fastify's routing — a client that sent its headers or
 * body too slowly, headers too large, bytes that are not HTTP — answered as a problem document like every
 * other refusal (Fastify's default answers in a JSON shape of its own), then the connection is closed.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  // Reset by the client: nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = problemFor(error.code);
  const body = JSON.stringify(answer);
  if (socket.writable) {
    socket.write(
      [
        `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`,
        'Content-Type: application/problem+json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'X-Content-Type-Options: nosniff',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  }
  socket.destroy(error);
}

function problemFor(nodeCode: string | undefined): Problem {
  switch (nodeCode) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(
        'request_timeout',
        'The request did not arrive in time; the connection is closed.',
      );
    case 'HPE_HEADER_OVERFLOW':
      return problem(
        'headers_too_large',
        `The request headers are larger than ${inputLimits.headerBytes / 1024} KiB.`,
      );
    default:
      return problem('malformed_request', 'The request is not valid HTTP.');
  }
}
