import { UserFacingError } from '../../../shared/errors.ts';

export type ImportErrorCode =
  | 'import_empty'
  | 'import_encoding'
  | 'import_too_many_rows'
  | 'import_too_big'
  | 'import_format'
  | 'import_csv_damaged'
  | 'xlsx_damaged'
  | 'import_not_found'
  | 'import_mapping'
  | 'import_has_errors'
  | 'nfe_not_xml'
  | 'nfe_not_nfe'
  | 'nfe_model'
  | 'nfe_too_many_items'
  | 'nfe_line';

/** A file the catalog cannot take; nothing was changed. */
export class ImportError extends UserFacingError<ImportErrorCode> {}

/** Data rows one file may carry: a bigger catalog goes in several files. */
export const MAX_IMPORT_ROWS = 100_000;
/** Upload ceiling (a 100,000-row spreadsheet is far below it). */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
