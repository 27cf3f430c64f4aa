import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inputLimits } from './input-limits.ts';
import { HttpProblemError } from './http-problem-error.ts';

/**
 * Request bodies are JSON in UTF-8, taken strictly: bytes that are not UTF-8 are refused (a lenient decoder
 * would store U+FFFD in their place), and a body nested or sized beyond `inputLimits` is refused by a scan
 * of its text before anything parses it. Parsing itself is Fastify's (prototype-poisoning checks included).
 */
export type JsonBodyParser = (request: FastifyRequest, bytes: Buffer) => Promise<unknown>;

export function strictJsonParser(
  app: Pick<FastifyInstance, 'getDefaultJsonParser'>,
): JsonBodyParser {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  return async (request, bytes) => {
    const text = decodeUtf8(request, bytes);
    assertBoundedJson(text);
    return new Promise((resolve, reject) => {
      void parseJson(request, text, (error, value) => (error ? reject(error) : resolve(value)));
    });
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

function decodeUtf8(request: FastifyRequest, bytes: Buffer): string {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpProblemError(
      'unsupported_media_type',
      'Send the body as application/json in UTF-8.',
    );
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new HttpProblemError('malformed_request', 'The request body is not valid UTF-8.');
  }
}

const [QUOTE, BACKSLASH, COMMA, COLON] = ['"', '\\', ',', ':'].map((c) => c.charCodeAt(0));
const [OPEN_OBJECT, OPEN_ARRAY, CLOSE_OBJECT, CLOSE_ARRAY] = ['{', '[', '}', ']'].map((c) =>
  c.charCodeAt(0),
);
const WHITESPACE = new Set([' ', '\t', '\n', '\r'].map((c) => c.charCodeAt(0)));

/**
 * Refuses JSON text nested deeper than `inputLimits.jsonDepth` or holding more than
 * `inputLimits.jsonValues` values (containers and scalars; object keys are not values), in one pass over
 * the characters and before any parsing: a pathological megabyte (a million brackets, a hundred thousand
 * tiny objects) costs a few milliseconds here instead of hundreds in JSON.parse, and nothing later —
 * parsing, validation, the text checks — ever faces more than the limits. Written by hand: the streaming
 * JSON libraries enforce no such limits before they build the value.
 * Malformed JSON may be miscounted here; the parser refuses it next anyway.
 */
export function assertBoundedJson(text: string): void {
  const containerIsObject: boolean[] = [];
  let inString = false;
  let expectingKey = false;
  let previous: number | undefined;
  let values = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index++;
      else if (char === QUOTE) {
        inString = false;
        previous = QUOTE;
      }
      continue;
    }
    if (WHITESPACE.has(char)) continue;
    if (char === QUOTE) {
      inString = true;
      if (!expectingKey) values++;
      expectingKey = false;
    } else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      values++;
      containerIsObject.push(char === OPEN_OBJECT);
      if (containerIsObject.length > inputLimits.jsonDepth) {
        throw new HttpProblemError(
          'malformed_request',
          `The JSON body nests deeper than ${inputLimits.jsonDepth} levels.`,
        );
      }
      expectingKey = char === OPEN_OBJECT;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      containerIsObject.pop();
      expectingKey = false;
    } else if (char === COMMA) {
      expectingKey = containerIsObject.at(-1) === true;
    } else if (char === COLON) {
      expectingKey = false;
    } else if (
      // The first character of a number, true, false or null.
      previous === undefined ||
      previous === COLON ||
      previous === COMMA ||
      previous === OPEN_ARRAY
    ) {
      values++;
    }
    if (values > inputLimits.jsonValues) {
      throw new HttpProblemError(
        'malformed_request',
        `The JSON body holds more than ${inputLimits.jsonValues} values.`,
      );
    }
    previous = char;
  }
}
