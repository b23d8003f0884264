/**
 * The building blocks of the hearing's command payloads (TypeBox schemas): each feature declares
 * its commands' payloads with them, next to its rules, and how each payload becomes its command.
 * A payload that fails its schema (unknown fields included) is refused with `invalid_request`
 * before any rule runs (server/src/realtime/hearings.socket.ts).
 */
import { Type, type Static, type TSchema } from 'typebox';

export const strict = { additionalProperties: false } as const;
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Version = Type.Integer({ minimum: 0 });
/** Free text a person typed: at least one visible character. */
export const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** Every command names its hearing and may name the version its sender last saw (`stale_version` if the hearing moved on). */
export const command = <P extends Record<string, TSchema>>(properties: P) => Type.Object({ hearingId: Id, expectedVersion: Type.Optional(Version), ...properties }, strict);

/** How each of a feature's payloads becomes its command. */
export type ToCommand<P extends Record<string, TSchema>, C> = { [K in keyof P]: (payload: Static<P[K]>) => C };
