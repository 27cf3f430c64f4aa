import type { operations } from './generated/order-service.ts';

type Responses<Operation extends keyof operations> = operations[Operation]['responses'];

/**
 * The problem documents (RFC 9457) an operation may answer, by operationId: a union over its error
 * statuses, each with `code` narrowed to the codes the document lists for that status.
 */
export type ProblemOf<Operation extends keyof operations> = {
  [Status in keyof Responses<Operation>]: Responses<Operation>[Status] extends {
    content: { 'application/problem+json': infer Problem };
  }
    ? Problem
    : never;
}[keyof Responses<Operation>];

/** Any problem document of the service. */
export type Problem = ProblemOf<keyof operations>;

/** Every stable error code an operation of the service may answer. */
export type ProblemCode = Problem['code'];

/** A call the service refused: the problem document it answered, with its stable `code`. */
export class OrderServiceProblem<P extends Problem = Problem> extends Error {
  override readonly name = 'OrderServiceProblem';
  readonly problem: P;
  readonly response: Response;

  constructor(problem: P, response: Response) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.problem = problem;
    this.response = response;
  }

  get code(): P['code'] {
    return this.problem.code;
  }

  get status(): number {
    return this.response.status;
  }
}

/** Whether `body` is a problem document of this service (a proxy in between may answer otherwise). */
export function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { code?: unknown }).code === 'string' &&
    typeof (body as { status?: unknown }).status === 'number'
  );
}

/** What every openapi-fetch call resolves to. */
interface Outcome {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a successful call; a refusal is thrown as an `OrderServiceProblem` carrying the typed
 * problem document. An answer that is not one of the service's problems (say, a load balancer's 502 page)
 * is thrown as a plain Error with the status.
 */
export async function ok<R extends Outcome>(call: Promise<R>): Promise<NonNullable<R['data']>> {
  const { data, error, response } = await call;
  if (response.ok) return data as NonNullable<R['data']>;
  if (isProblem(error)) throw new OrderServiceProblem(error, response);
  throw new Error(`The order service answered ${response.status}: ${JSON.stringify(error)}`);
}
