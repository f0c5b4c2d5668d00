// Placeholder replaced below in this branch.
import type { DatabaseSync } from 'node:sqlite';
import type { FocusApi } from '../focus/types.ts';
import type { MonthExportResult } from '../../shared/register/period.ts';
import { RegisterError } from '../register/errors.ts';

export interface MonthExportDeps {
  db: DatabaseSync;
  api: FocusApi;
  month: string;
  environment: string;
  cnpj: string;
  archiveDir: string;
  outDir: string;
  onProgress?: (e: { done: number; total: number; phase: string }) => void;
}

export async function exportMonth(_d: MonthExportDeps): Promise<MonthExportResult> {
  throw new RegisterError('export_failed', 'Exportação ainda não disponível.');
}
