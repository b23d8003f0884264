/**
 * Checks a socket payload against its schema (shared/hearing/schemas.ts, the media and remote
 * schemas): the payload, typed, or `invalid_request` naming what is wrong with it. Each schema is
 * compiled once, on first use.
 */
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError } from '../shared/errors.ts';

const compiled = new Map<TSchema, ReturnType<typeof Compile>>();

export function parsePayload<S extends TSchema>(schema: S, payload: unknown): Static<S> {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  if (validator.Check(payload)) return payload as Static<S>;
  const problems = [...validator.Errors(payload)].slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new AppError('invalid_request', `Invalid payload: ${problems.join('; ')}`);
}
