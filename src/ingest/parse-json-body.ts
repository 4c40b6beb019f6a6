import { ValidationError } from '../errors.js';

/** Parses a JSON body; malformed JSON is a 400 that says where it broke. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new ValidationError('the request body is empty; expected JSON', 'empty_body');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ValidationError(`malformed JSON: ${(error as Error).message}`, 'malformed_json');
  }
}
