import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * The OpenAPI documents in docs/contracts/, loaded for contract tests: validators for the JSON body each
 * documented response (or webhook request) must have.
 */
export const CONTRACTS = {
  product: 'product-reservations.openapi.yaml',
  payment: 'payments.openapi.yaml',
  notification: 'notification.openapi.yaml',
  analytics: 'analytics.openapi.yaml',
} as const;
export type ContractName = keyof typeof CONTRACTS;

const contractsDirectory = new URL('../../../../docs/contracts/', import.meta.url);

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly webhooks?: Record<string, Record<string, Operation>>;
  readonly components?: { responses?: Record<string, ResponseObject> };
}
interface Operation {
  readonly responses: Record<string, ResponseObject | { $ref: string }>;
  readonly requestBody?: { content: Record<string, { schema?: unknown }> };
}
interface ResponseObject {
  readonly content?: Record<string, { schema?: unknown }>;
}

export function loadContract(name: ContractName): OpenApiDocument {
  return parse(
    readFileSync(new URL(CONTRACTS[name], contractsDirectory), 'utf8'),
  ) as OpenApiDocument;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const documents = new Map<ContractName, OpenApiDocument>();
for (const name of Object.keys(CONTRACTS) as ContractName[]) {
  const document = loadContract(name);
  documents.set(name, document);
  ajv.addSchema(document as object, name);
}

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The validator for the JSON body of `status` answered by `method path`, or `undefined` when the contract
 * documents that status without a body. Throws when the status is not documented at all.
 */
export function responseValidator(
  contract: ContractName,
  path: string,
  method: string,
  status: number,
): ValidateFunction | undefined {
  const operation = documents.get(contract)?.paths[path]?.[method];
  if (!operation) throw new Error(`${contract}: ${method.toUpperCase()} ${path} is not documented`);
  let response = operation.responses[String(status)];
  if (!response) {
    throw new Error(`${contract}: ${method.toUpperCase()} ${path} does not document ${status}`);
  }
  let pointer = `#/paths/${escape(path)}/${method}/responses/${status}`;
  if ('$ref' in response) {
    pointer = response.$ref;
    response =
      documents.get(contract)?.components?.responses?.[pointer.split('/').pop() ?? ''] ?? {};
  }
  if (!(response as ResponseObject).content?.['application/json']?.schema) return undefined;
  return ajv.compile({ $ref: `${contract}${pointer}/content/application~1json/schema` });
}

/** The validator for the JSON body of a webhook the peer sends (e.g. the payment outcome). */
export function webhookValidator(contract: ContractName, webhook: string): ValidateFunction {
  return ajv.compile({
    $ref: `${contract}#/webhooks/${escape(webhook)}/post/requestBody/content/application~1json/schema`,
  });
}
