// The accountant's month in one zip: the XML of every authorized and cancelled note, the
// cancellation events, the inutilizações, and the summary (CSV + PDF) by day, CFOP and payment.
// XMLs missing locally are fetched from Focus on the background lane of the shared rate budget
// (and kept in the archive); Focus's monthly backup (§7.2) is compared with what went in.
// Memory stays flat whatever the month's size: the notes are read with a statement iterator into
// two flat lists (chave, flags), each XML is read into one reused buffer and written to the zip
// at once (zip-writer.ts keeps only the central directory), and the summary's modules (pdfkit,
// csv-stringify) are loaded when the summary is written, not when the app starts.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { unzipSync } from 'fflate';
import type { FocusApi } from '../focus/types.ts';
import type { MonthExportResult } from '../../shared/register/period.ts';
import { archivePath } from '../emission/archive.ts';
import { writeFileAtomic } from '../secrets/atomic-file.ts';
import { RegisterError } from '../register/errors.ts';
import { localDayStartMs } from './period.ts';
import { ZipWriter } from './zip-writer.ts';

export interface MonthExportDeps {
  db: DatabaseSync;
  api: FocusApi;
  month: string;
  environment: string;
  cnpj: string;
  archiveDir: string;
  outDir: string;
  /** Runs a Focus call within the shared rate budget (the engine's background lane). */
  background?: <T>(fn: () => Promise<T>) => Promise<T>;
  onProgress?: (e: { done: number; total: number; phase: string }) => void;
}

/** Per note: its state, and which of its files are neither on disk nor fetched. */
const CANCELLED = 1;
const NFE_MISSING = 2;
const CAN_MISSING = 4;

/** The month's notes as two flat lists: a few bytes of heap per note, no object each. */
interface Notes {
  chave: string[];
  flags: number[];
  /** Sales of the notes not cancelled (the summary's scope). */
  validSales: number[];
}

interface Absent {
  index: number;
  emissionId: number;
  kind: 'nfe' | 'can';
  caminho: string | null;
}

const LIST_CAP = 200;
const enc = new TextEncoder();
const fileName = (chave: string, kind: 'nfe' | 'can') => `${chave}-${kind}.xml`;

export async function exportMonth(d: MonthExportDeps): Promise<MonthExportResult> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(d.month)) throw new RegisterError('month_invalid', 'Informe o mês no formato AAAA-MM.');
  const yyyymm = d.month.replace('-', '');
  const from = `${d.month}-01`;
  const toDay = new Date(localDayStartMs(from, 0));
  toDay.setMonth(toDay.getMonth() + 1, 0);
  const to = toDay.toLocaleDateString('sv-SE');
  const background = d.background ?? ((fn) => fn());
  const progress = d.onProgress ?? (() => {});

  // 1. The notes, and which XMLs are not on disk (one listing per archive folder, a CNPJ's month,
  // instead of a file-system call per note).
  const listings = new Map<string, Set<string>>();
  const onDisk = (path: string) => {
    const dir = dirname(path);
    let names = listings.get(dir);
    if (!names) {
      names = new Set(existsSync(dir) ? readdirSync(dir) : []);
      listings.set(dir, names);
    }
    return names.has(basename(path));
  };
  const notes: Notes = { chave: [], flags: [], validSales: [] };
  const absent: Absent[] = [];
  let wantedCount = 0;
  const rows = d.db
    .prepare(
      `SELECT e.id, e.sale_id, e.state, e.chave, e.caminho_xml, e.caminho_xml_cancel
     FROM sales s JOIN emissions e ON e.sale_id = s.id
     WHERE s.local_day >= ? AND s.local_day <= ? AND e.environment = ? AND e.chave IS NOT NULL
       AND e.state IN ('authorized', 'cancelled', 'contingency_focus')
     ORDER BY e.id`,
    )
    .iterate(from, to, d.environment);
  for (const r of rows) {
    const chave = String(r.chave).replace(/^NFe/i, '');
    if (chave.slice(6, 20) !== d.cnpj) continue;
    const index = notes.chave.length;
    const cancelled = r.state === 'cancelled';
    notes.chave.push(chave);
    notes.flags.push(cancelled ? CANCELLED : 0);
    if (!cancelled) notes.validSales.push(Number(r.sale_id));
    wantedCount += cancelled ? 2 : 1;
    const emissionId = Number(r.id);
    if (!onDisk(archivePath(d.archiveDir, chave, 'nfe')))
      absent.push({ index, emissionId, kind: 'nfe', caminho: r.caminho_xml == null ? null : String(r.caminho_xml) });
    if (cancelled && !onDisk(archivePath(d.archiveDir, chave, 'can')))
      absent.push({ index, emissionId, kind: 'can', caminho: r.caminho_xml_cancel == null ? null : String(r.caminho_xml_cancel) });
  }
  listings.clear();

  // 2. What is missing locally, fetched within the rate budget.
  const missing: string[] = [];
  let fetched = 0;
  const markArchived = d.db.prepare('UPDATE emissions SET xml_archived_ms = COALESCE(xml_archived_ms, ?) WHERE id = ?');
  const markCancelArchived = d.db.prepare('UPDATE emissions SET can_archived_ms = COALESCE(can_archived_ms, ?) WHERE id = ?');
  for (let i = 0; i < absent.length; i++) {
    const w = absent[i]!;
    const chave = notes.chave[w.index]!;
    progress({ done: i, total: absent.length, phase: 'Baixando XMLs da Focus' });
    const out = w.caminho ? await background(() => d.api.download(w.caminho!)) : null;
    if (out?.kind === 'ok') {
      writeFileAtomic(archivePath(d.archiveDir, chave, w.kind), out.body, 0o644);
      (w.kind === 'nfe' ? markArchived : markCancelArchived).run(Date.now(), w.emissionId);
      fetched++;
    } else {
      missing.push(fileName(chave, w.kind));
      notes.flags[w.index]! |= w.kind === 'nfe' ? NFE_MISSING : CAN_MISSING;
    }
  }

  // 3. Focus's monthly backup: which XML files it holds for this month.
  const backup = await compareBackup(d, yyyymm, () => exportedNames(notes), background);

  // 4. The zip, streamed to disk under a temporary name renamed at the end.
  const finalPath = join(d.outDir, `nfce-${d.cnpj}-${yyyymm}.zip`);
  const tmpPath = `${finalPath}.tmp`;
  let fd: number;
  try {
    mkdirSync(d.outDir, { recursive: true });
    fd = openSync(tmpPath, 'w', 0o644);
  } catch (err) {
    throw exportFailed(err);
  }
  const zip = new ZipWriter(fd, new Date());
  try {
    const files = new FileReader();
    let done = 0;
    let authorized = 0;
    let cancelled = 0;
    let cancelEvents = 0;
    for (let i = 0; i < notes.chave.length; i++) {
      const chave = notes.chave[i]!;
      const flags = notes.flags[i]!;
      done += flags & CANCELLED ? 2 : 1;
      // Each entry awaits the compressor (the event loop runs between entries).
      if (i % 250 === 0) progress({ done, total: wantedCount, phase: 'Gerando o arquivo' });
      // Absent before and not fetched: listed in the LEIAME, not in the zip.
      const nfe = flags & NFE_MISSING ? null : files.read(archivePath(d.archiveDir, chave, 'nfe'));
      if (nfe && flags & CANCELLED) {
        await zip.add(`canceladas/${fileName(chave, 'nfe')}`, nfe);
        cancelled++;
      } else if (nfe) {
        await zip.add(`autorizadas/${fileName(chave, 'nfe')}`, nfe);
        authorized++;
      }
      const can = flags & CANCELLED && !(flags & CAN_MISSING) ? files.read(archivePath(d.archiveDir, chave, 'can')) : null;
      if (can) {
        await zip.add(`cancelamentos/${fileName(chave, 'can')}`, can);
        cancelEvents++;
      }
    }
    const monthStart = localDayStartMs(from);
    const monthEnd = localDayStartMs(to, 1);
    const inuts = d.db
      .prepare(
        "SELECT serie, numero_inicial, numero_final, xml_path FROM inutilizacoes WHERE environment = ? AND state = 'authorized' AND created_ms >= ? AND created_ms < ? ORDER BY id",
      )
      .all(d.environment, monthStart, monthEnd);
    let inutilizacoes = 0;
    for (const r of inuts) {
      if (r.xml_path == null || !existsSync(String(r.xml_path))) continue;
      await zip.add(`inutilizacoes/inut-${String(r.serie)}-${Number(r.numero_inicial)}-${Number(r.numero_final)}.xml`, readFileSync(String(r.xml_path)));
      inutilizacoes++;
    }
    // The summary's modules (pdfkit above all) load here: the export is the only one to need them.
    const { monthSummary, summaryCsv, summaryPdf } = await import('./month-summary.ts');
    const summary = monthSummary(d.db, notes.validSales);
    const csv = summaryCsv(summary);
    await zip.add('resumo/resumo-por-dia.csv', enc.encode(csv.day));
    await zip.add('resumo/resumo-por-cfop.csv', enc.encode(csv.cfop));
    await zip.add('resumo/resumo-por-pagamento.csv', enc.encode(csv.methods));
    await zip.add('resumo/resumo.pdf', await summaryPdf(summary, { cnpj: d.cnpj, month: d.month, authorized, cancelled, inutilizacoes }), false);
    await zip.add(
      'LEIAME.txt',
      enc.encode(readme({ month: d.month, cnpj: d.cnpj, authorized, cancelled, cancelEvents, inutilizacoes, fetched, missing, backup })),
    );
    zip.end();
    closeSync(fd);
    renameSync(tmpPath, finalPath);
    progress({ done: wantedCount, total: wantedCount, phase: 'Concluído' });
    return {
      month: d.month,
      path: finalPath,
      bytes: zip.size,
      authorized,
      cancelled,
      cancelEvents,
      inutilizacoes,
      fetched,
      missing: missing.slice(0, LIST_CAP),
      backup,
    };
  } catch (err) {
    zip.close();
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmpPath, { force: true });
    throw err instanceof RegisterError ? err : exportFailed(err);
  }
}

function exportFailed(cause: unknown): RegisterError {
  return new RegisterError(
    'export_failed',
    'Não foi possível gravar o arquivo do mês (disco cheio ou sem permissão?). Nada foi alterado nas vendas; tente de novo.',
    { cause },
  );
}

/** The XML files the zip holds (for the comparison with Focus's backup; built only when there is one). */
function exportedNames(notes: Notes): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < notes.chave.length; i++) {
    const flags = notes.flags[i]!;
    if (!(flags & NFE_MISSING)) out.add(fileName(notes.chave[i]!, 'nfe'));
    if (flags & CANCELLED && !(flags & CAN_MISSING)) out.add(fileName(notes.chave[i]!, 'can'));
  }
  return out;
}

/**
 * Reads whole files into one reused buffer (grown when a file is larger): a month is tens of
 * thousands of small XMLs, and a fresh buffer per file is garbage the collector only frees late
 * (the export's peak memory). A file that is gone gives null: one call, no exists-then-read race.
 */
class FileReader {
  #buf = Buffer.allocUnsafe(64 * 1024);

  /** The file's bytes (a view valid until the next read), or null when it is gone. */
  read(path: string): Uint8Array | null {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const size = fstatSync(fd).size;
      if (size > this.#buf.length) this.#buf = Buffer.allocUnsafe(size);
      let off = 0;
      while (off < size) {
        const n = readSync(fd, this.#buf, off, size - off, off);
        if (n === 0) break;
        off += n;
      }
      return this.#buf.subarray(0, off);
    } finally {
      closeSync(fd);
    }
  }
}

async function compareBackup(
  d: MonthExportDeps,
  yyyymm: string,
  exportedNow: () => Set<string>,
  background: NonNullable<MonthExportDeps['background']>,
): Promise<MonthExportResult['backup']> {
  const none = (message: string) => ({ available: false, message, onlyInBackup: [], onlyInExport: [] });
  if (!d.api.backups) return none('Backup da Focus não consultado (indisponível neste emissor).');
  const list = await background(() => d.api.backups!(d.cnpj));
  if (list.kind !== 'ok') return none('Não foi possível consultar o backup mensal da Focus agora; o arquivo foi gerado com os XMLs do caixa.');
  const entry = list.body.backups?.find((b) => b.mes === yyyymm);
  if (!entry?.xmls) return none(`A Focus ainda não tem backup de ${yyyymm.slice(4)}/${yyyymm.slice(0, 4)} (é gerado no dia 1 do mês seguinte).`);
  const zip = await background(() => d.api.download(entry.xmls!));
  if (zip.kind !== 'ok') return none('O backup mensal da Focus existe, mas não pôde ser baixado agora.');
  const exported = exportedNow();
  const inBackup = new Set<string>();
  try {
    // Only the names are needed: the filter refuses every entry, so nothing is inflated.
    unzipSync(zip.body, {
      filter: (f) => {
        const base = f.name.split('/').pop() ?? f.name;
        if (/-(nfe|can)\.xml$/.test(base)) inBackup.add(base);
        return false;
      },
    });
  } catch {
    return none('O backup mensal da Focus veio danificado; compare de novo mais tarde.');
  }
  const onlyInBackup = [...inBackup].filter((n) => !exported.has(n)).sort();
  const onlyInExport = [...exported].filter((n) => !inBackup.has(n)).sort();
  const message =
    onlyInBackup.length === 0 && onlyInExport.length === 0
      ? `Conferido com o backup da Focus: os ${inBackup.size} XMLs conferem.`
      : `Diferenças com o backup da Focus: ${onlyInBackup.length} só no backup, ${onlyInExport.length} só no caixa (lista no LEIAME).`;
  return { available: true, message, onlyInBackup: onlyInBackup.slice(0, LIST_CAP), onlyInExport: onlyInExport.slice(0, LIST_CAP) };
}

function readme(r: {
  month: string;
  cnpj: string;
  authorized: number;
  cancelled: number;
  cancelEvents: number;
  inutilizacoes: number;
  fetched: number;
  missing: string[];
  backup: MonthExportResult['backup'];
}): string {
  const lines = [
    `Balcão — NFC-e do mês ${r.month}, CNPJ ${r.cnpj}`,
    '',
    `autorizadas/     ${r.authorized} notas autorizadas`,
    `canceladas/      ${r.cancelled} notas canceladas`,
    `cancelamentos/   ${r.cancelEvents} eventos de cancelamento`,
    `inutilizacoes/   ${r.inutilizacoes} inutilizações`,
    'resumo/          por dia, por CFOP e por forma de pagamento (CSV e PDF)',
    '',
    `XMLs baixados da Focus nesta exportação: ${r.fetched}`,
  ];
  if (r.missing.length > 0) lines.push('', `XMLs que não puderam ser obtidos (${r.missing.length}):`, ...r.missing);
  lines.push('', r.backup.message);
  if (r.backup.onlyInBackup.length > 0) lines.push('', 'Só no backup da Focus:', ...r.backup.onlyInBackup);
  if (r.backup.onlyInExport.length > 0) lines.push('', 'Só no caixa:', ...r.backup.onlyInExport);
  return lines.join('\r\n') + '\r\n';
}
