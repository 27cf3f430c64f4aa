import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * At shutdown, closes every connection that is not carrying a complete request: idle keep-alive
 * connections, and clients stalled before the end of their headers or body. Node's `server.close()` waits
 * for the latter (it only closes idle connections), so one stalled upload would hold the process until its
 * deadline kills it (exit 1); the request timeout is far longer than any shutdown deadline. Requests that
 * have fully arrived are left to finish (answered with `Connection: close`, see app.ts).
 *
 * Cutting an upload still in progress is safe: SIGTERM comes after the pod has left the load balancer
 * (preStop), so such an upload has been stalled for that long already, and its client retries with the
 * same Idempotency-Key. Node keeps no public list of a server's connections, hence the bookkeeping here.
 */
export const closeStalledConnections = fp(async (app: FastifyInstance) => {
  const connections = new Map<Socket, { request: IncomingMessage; response: ServerResponse }>();
  const sockets = new Set<Socket>();

  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      connections.delete(socket);
    });
  });
  app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    connections.set(request.socket, { request, response });
  });

  app.addHook('preClose', async () => {
    for (const socket of sockets) {
      const exchange = connections.get(socket);
      const serving = exchange?.request.complete && !exchange.response.writableFinished;
      if (!serving) socket.destroy();
    }
  });
});
