/**
 * Every problem code the e-case intake can answer with (docs/ecase-intake.md explains each).
 * The web app types its translations against this list, so a new code without a translation in
 * Kazakh, Russian and English is a type error; a test checks that the intake's sources use no
 * code missing from it. No imports: the web bundle takes this file as it is.
 */
export const PROBLEM_CODES = [
  // the archive
  'archive_unreadable',
  'archive_too_large',
  'archive_too_many_entries',
  'archive_entry_too_large',
  'archive_total_too_large',
  'archive_compression_ratio',
  'archive_path_traversal',
  'archive_absolute_path',
  'archive_backslash',
  'archive_name_invalid',
  'archive_name_encoding',
  'archive_duplicate_name',
  'archive_symlink',
  'archive_special_file',
  'archive_unsupported_entry',
  'archive_entry_corrupt',
  // the manifest
  'manifest_missing',
  'manifest_too_large',
  'manifest_invalid_json',
  'manifest_schema',
  'format_unsupported',
  'iin_invalid',
  'erdr_number_invalid',
  'participant_role_unknown',
  'accused_missing',
  'duplicate_id',
  'reference_unknown',
  'reference_wrong_kind',
  'document_kind_unknown',
  'document_type_unknown',
  'document_field_missing',
  'media_has_sheets',
  'indictment_missing',
  'indictment_wrong_type',
  // volumes and sheets
  'volume_numbering',
  'sheet_range',
  'sheet_order',
  'sheet_gap',
  'sheet_overlap',
  'volume_sheet_count',
  // files
  'file_missing',
  'file_unreferenced',
  'file_reserved',
  'hash_mismatch',
  'pdf_unreadable',
  'pdf_encrypted',
  'pdf_page_count',
  // signatures
  'signature_missing',
  'signature_invalid',
  'signature_algorithm_unsupported',
  'signature_untrusted',
  'signature_expired',
  'signature_not_yet_valid',
  'signature_key_usage',
  'signature_time_future',
  'signer_iin_mismatch',
  // the court's own checks
  'court_unknown',
  'erdr_number_exists',
  'package_id_reused',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];
