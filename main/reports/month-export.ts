// The accountant's month in one zip: the XML of every authorized and cancelled note, the
// cancellation events, the inutilizações, and the summary (CSV + PDF) by day, CFOP and payment.
// XMLs missing locally are fetched from Focus on the background lane of the shared rate budget
// (and kept in the archive); Focus's monthly backup (§7.2) is compared with what went in.
// The zip is streamed to disk (fflate, written synchronously chunk by chunk, so memory stays flat
// whatever the month's size), under a temporary name renamed at the end.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Zip, ZipPassThrough, unzipSync, type ZipInputFile } from 'fflate';
import { crc32, deflateRawSync } from 'node:zlib';
import type { FocusApi } from '../focus/types.ts';
import type { MonthExportResult } from '../../shared/register/period.ts';
import { archivePath } from '../emission/archive.ts';
import { writeFileAtomic } from '../secrets/atomic-file.ts';
import { RegisterError } from '../register/errors.ts';
import { monthSummary, summaryCsv, summaryPdf } from './month-summary.ts';
import { localDayStartMs } from './period.ts';

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

interface NoteRow {
  emissionId: number;
  saleId: number;
  state: string;
  chave: string;
  caminhoXml: string | null;
  caminhoXmlCancel: string | null;
}

const LIST_CAP = 200;
const enc = new TextEncoder();

export async function exportMonth(d: MonthExportDeps): Promise<MonthExportResult> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(d.month)) throw new RegisterError('month_invalid', 'Informe o mês no formato AAAA-MM.');
  const yyyymm = d.month.replace('-', '');
  const from = `${d.month}-01`;
  const toDay = new Date(localDayStartMs(from, 0));
  toDay.setMonth(toDay.getMonth() + 1, 0);
  const to = toDay.toLocaleDateString('sv-SE');
  const background = d.background ?? ((fn) => fn());
  const progress = d.onProgress ?? (() => {});

  const notes: NoteRow[] = d.db
    .prepare(
      `SELECT e.id, e.sale_id, e.state, e.chave, e.caminho_xml, e.caminho_xml_cancel
     FROM sales s JOIN emissions e ON e.sale_id = s.id
     WHERE s.local_day >= ? AND s.local_day <= ? AND e.environment = ? AND e.chave IS NOT NULL
       AND e.state IN ('authorized', 'cancelled', 'contingency_focus')
     ORDER BY e.id`,
    )
    .all(from, to, d.environment)
    .map((r) => ({
      emissionId: Number(r.id),
      saleId: Number(r.sale_id),
      state: String(r.state),
      chave: String(r.chave).replace(/^NFe/i, ''),
      caminhoXml: r.caminho_xml == null ? null : String(r.caminho_xml),
      caminhoXmlCancel: r.caminho_xml_cancel == null ? null : String(r.caminho_xml_cancel),
    }))
    .filter((n) => n.chave.slice(6, 20) === d.cnpj);

  // 1. What is missing locally, fetched within the rate budget.
  const wanted: { note: NoteRow; kind: 'nfe' | 'can'; caminho: string | null }[] = [];
  for (const n of notes) {
    wanted.push({ note: n, kind: 'nfe', caminho: n.caminhoXml });
    if (n.state === 'cancelled') wanted.push({ note: n, kind: 'can', caminho: n.caminhoXmlCancel });
  }
  // One listing per archive folder (a CNPJ's month) instead of a file-system call per note.
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
  const absent = wanted.filter((w) => !onDisk(archivePath(d.archiveDir, w.note.chave, w.kind)));
  const missing: string[] = [];
  let fetched = 0;
  const markArchived = d.db.prepare('UPDATE emissions SET xml_archived_ms = COALESCE(xml_archived_ms, ?) WHERE id = ?');
  const markCancelArchived = d.db.prepare('UPDATE emissions SET can_archived_ms = COALESCE(can_archived_ms, ?) WHERE id = ?');
  for (let i = 0; i < absent.length; i++) {
    const w = absent[i]!;
    progress({ done: i, total: absent.length, phase: 'Baixando XMLs da Focus' });
    const out = w.caminho ? await background(() => d.api.download(w.caminho!)) : null;
    if (out?.kind === 'ok') {
      writeFileAtomic(archivePath(d.archiveDir, w.note.chave, w.kind), out.body, 0o644);
      (w.kind === 'nfe' ? markArchived : markCancelArchived).run(Date.now(), w.note.emissionId);
      fetched++;
    } else {
      missing.push(`${w.note.chave}-${w.kind}.xml`);
    }
  }

  // 2. Focus's monthly backup: which XML files it holds for this month.
  const missingSet = new Set(missing);
  const exported = new Set(wanted.map((w) => `${w.note.chave}-${w.kind}.xml`).filter((name) => !missingSet.has(name)));
  const backup = await compareBackup(d, yyyymm, exported, background);

  // 3. The zip, streamed.
  mkdirSync(d.outDir, { recursive: true });
  const finalPath = join(d.outDir, `nfce-${d.cnpj}-${yyyymm}.zip`);
  const tmpPath = `${finalPath}.tmp`;
  const fd = openSync(tmpPath, 'w', 0o644);
  let failure: unknown = null;
  // fflate hands out a few small chunks per entry: they are copied into one 1 MB block that goes to
  // the file when full (one system call per block instead of three per note). Copying matters:
  // zlib's output is a view on a larger buffer, and holding the views would hold those buffers.
  const BLOCK = 1 << 20;
  const block = Buffer.allocUnsafe(BLOCK);
  let used = 0;
  const flush = () => {
    if (used > 0) writeSync(fd, block, 0, used);
    used = 0;
  };
  const zip = new Zip((err, chunk) => {
    if (err) {
      failure ??= err;
      return;
    }
    if (used + chunk.length > BLOCK) flush();
    if (chunk.length >= BLOCK) writeSync(fd, chunk);
    else {
      block.set(chunk, used);
      used += chunk.length;
    }
  });
  const add = (name: string, data: Uint8Array, compress = true) => {
    if (!compress) {
      const f = new ZipPassThrough(name);
      zip.add(f);
      f.push(data, true);
      return;
    }
    // fflate's documented ZipInputFile, fed by Node's native deflate: fflate's own per-file
    // compressor allocates ~100 KB of state per entry, which dominates a month of small XMLs.
    const entry: ZipInputFile = { filename: name, size: data.length, crc: crc32(data), compression: 8 };
    zip.add(entry);
    // A 4 KB output chunk (zlib's default is 16 KB): a compressed XML fits one, and each call's
    // chunk is garbage the collector frees late, the export's peak memory.
    entry.ondata!(null, deflateRawSync(data, { level: 6, chunkSize: 4096 }), true);
  };
  try {
    const files = new FileReader();
    let done = 0;
    let authorized = 0;
    let cancelled = 0;
    let cancelEvents = 0;
    for (const w of wanted) {
      const path = archivePath(d.archiveDir, w.note.chave, w.kind);
      if (++done % 250 === 0) {
        progress({ done, total: wanted.length, phase: 'Gerando o arquivo' });
        await new Promise((r) => setImmediate(r));
      }
      // Absent before and not fetched: listed in the LEIAME, not in the zip.
      if (missingSet.has(`${w.note.chave}-${w.kind}.xml`)) continue;
      const xml = files.read(path);
      if (!xml) continue;
      if (w.kind === 'can') {
        add(`cancelamentos/${w.note.chave}-can.xml`, xml);
        cancelEvents++;
      } else if (w.note.state === 'cancelled') {
        add(`canceladas/${w.note.chave}-nfe.xml`, xml);
        cancelled++;
      } else {
        add(`autorizadas/${w.note.chave}-nfe.xml`, xml);
        authorized++;
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
      add(`inutilizacoes/inut-${String(r.serie)}-${Number(r.numero_inicial)}-${Number(r.numero_final)}.xml`, readFileSync(String(r.xml_path)));
      inutilizacoes++;
    }
    const summary = monthSummary(
      d.db,
      notes.filter((n) => n.state !== 'cancelled').map((n) => n.saleId),
    );
    const csv = summaryCsv(summary);
    add('resumo/resumo-por-dia.csv', enc.encode(csv.day));
    add('resumo/resumo-por-cfop.csv', enc.encode(csv.cfop));
    add('resumo/resumo-por-pagamento.csv', enc.encode(csv.methods));
    add('resumo/resumo.pdf', await summaryPdf(summary, { cnpj: d.cnpj, month: d.month, authorized, cancelled, inutilizacoes }), false);
    add('LEIAME.txt', enc.encode(readme({ month: d.month, cnpj: d.cnpj, authorized, cancelled, cancelEvents, inutilizacoes, fetched, missing, backup })));
    zip.end();
    flush();
    if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
    closeSync(fd);
    renameSync(tmpPath, finalPath);
    progress({ done: wanted.length, total: wanted.length, phase: 'Concluído' });
    return {
      month: d.month,
      path: finalPath,
      bytes: statSync(finalPath).size,
      authorized,
      cancelled,
      cancelEvents,
      inutilizacoes,
      fetched,
      missing: missing.slice(0, LIST_CAP),
      backup,
    };
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmpPath, { force: true });
    if (err instanceof RegisterError) throw err;
    throw new RegisterError(
      'export_failed',
      'Não foi possível gravar o arquivo do mês (disco cheio ou sem permissão?). Nada foi alterado nas vendas; tente de novo.',
      { cause: err },
    );
  }
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
  exported: Set<string>,
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
