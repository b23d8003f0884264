/**
 * The shape of manifest.json (SPEC section 2) as a TypeBox schema, and the `Manifest` type from it.
 *
 * The schema checks structure and formats only. Rules with their own problem codes (IIN check
 * digits, ERDR number, roles, kinds and types, which fields a pdf or media document needs, sheets)
 * live in manifest-rules.ts and sheet-rules.ts, so the UI can explain each one separately.
 * Objects accept unknown properties: a later minor version of the format may add fields.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';
import { pointer, problem } from './problems.ts';
import type { Problem } from './types.ts';

const Text = Type.String({ minLength: 1 });
const IsoDate = Type.String({ format: 'date' });
const Sha256 = Type.String({ pattern: '^[0-9a-fA-F]{64}$' });

export const OfficerSchema = Type.Object({
  fullName: Text,
  iin: Type.String(),
  position: Type.Optional(Type.String()),
});

export const QualificationSchema = Type.Object({
  code: Text,
  article: Text,
  part: Type.Optional(Type.String()),
  paragraph: Type.Optional(Type.String()),
  text: Type.Optional(Type.String()),
});

export const ParticipantSchema = Type.Object({
  id: Text,
  role: Type.String(),
  fullName: Text,
  iin: Type.Optional(Type.String()),
  birthDate: Type.Optional(IsoDate),
  language: Type.Optional(Type.String()),
  inCustody: Type.Optional(Type.Boolean()),
  // address is not in the SPEC's example; typed here because the court keeps one when it is sent.
  contacts: Type.Optional(Type.Object({ phone: Type.Optional(Type.String()), email: Type.Optional(Type.String()), address: Type.Optional(Type.String()) })),
  representedBy: Type.Optional(Type.Array(Type.String())),
});

export const DocumentSignatureSchema = Type.Object({ file: Text });

/** One schema for all kinds: which fields a kind needs is a rule with its own code. */
export const DocumentSchema = Type.Object({
  id: Text,
  kind: Type.String(),
  type: Type.String(),
  title: Text,
  date: Type.Optional(IsoDate),
  author: Type.Optional(Type.String()),
  file: Type.Optional(Text),
  sha256: Type.Optional(Sha256),
  pages: Type.Optional(Type.Integer({ minimum: 1 })),
  sheetFrom: Type.Optional(Type.Integer({ minimum: 1 })),
  sheetTo: Type.Optional(Type.Integer({ minimum: 1 })),
  mimeType: Type.Optional(Type.String({ pattern: '^[a-z]+/[A-Za-z0-9.+-]+$' })),
  durationSec: Type.Optional(Type.Number({ minimum: 0 })),
  attachedTo: Type.Optional(Text),
  signatures: Type.Optional(Type.Array(DocumentSignatureSchema)),
});

export const VolumeSchema = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  title: Type.String(),
  sheets: Type.Integer({ minimum: 0 }),
  documents: Type.Array(DocumentSchema),
});

export const MaterialEvidenceSchema = Type.Object({
  id: Text,
  description: Text,
  storage: Type.Optional(Type.String()),
});

export const ManifestSchema = Type.Object({
  format: Type.String(),
  formatVersion: Type.String(),
  packageId: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
  sender: Type.Object({ system: Text, organ: Text, officer: OfficerSchema }),
  recipientCourt: Type.Object({ code: Text, name: Text }),
  case: Type.Object({
    erdrNumber: Type.String(),
    registeredAt: IsoDate,
    language: Type.Union([Type.Literal('kk'), Type.Literal('ru')]),
    category: Type.Union([Type.Literal('crime'), Type.Literal('misdemeanor')]),
    qualification: Type.Array(QualificationSchema, { minItems: 1 }),
    summary: Type.Optional(Type.String()),
  }),
  participants: Type.Array(ParticipantSchema, { minItems: 1 }),
  volumes: Type.Array(VolumeSchema, { minItems: 1 }),
  materialEvidence: Type.Optional(Type.Array(MaterialEvidenceSchema)),
  indictmentDocumentId: Text,
});

export type Manifest = Static<typeof ManifestSchema>;
export type ManifestParticipant = Static<typeof ParticipantSchema>;
export type ManifestVolume = Static<typeof VolumeSchema>;
export type ManifestDocument = Static<typeof DocumentSchema>;
export type ManifestQualification = Static<typeof QualificationSchema>;
export type ManifestMaterialEvidence = Static<typeof MaterialEvidenceSchema>;

const validator = Compile(ManifestSchema);

/** Schema problems, each at the JSON pointer of the offending value (or the missing property). */
export function checkManifestSchema(value: unknown): Problem[] {
  if (validator.Check(value)) return [];
  const problems: Problem[] = [];
  for (const error of allErrors(value)) {
    // A union reports each failed branch and then itself; the union's own error is enough.
    if (error.schemaPath.includes('/anyOf/')) continue;
    if (error.keyword === 'required') {
      for (const name of error.params.requiredProperties) {
        problems.push(problem('manifest_schema', error.instancePath + pointer(name), `required property "${name}" is missing`));
      }
    } else {
      problems.push(problem('manifest_schema', error.instancePath, error.message));
    }
  }
  return problems;
}

/** Schema problems reported at most; a manifest this broken needs no more to be sent back. */
const MAX_SCHEMA_ERRORS = 1000;

/**
 * TypeBox stops at 8 errors by default, a process-wide setting (fastify's validation uses it
 * too); it is raised only for this synchronous call, so nothing else can observe the change.
 */
function allErrors(value: unknown) {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_SCHEMA_ERRORS });
  try {
    return validator.Errors(value);
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}
