// HTML → PDF for reprints, e-mail and the archive. A port, because the engine differs by host:
// Electron's webContents.printToPDF in the desktop shell, headless Chromium in the browser host
// (implemented here). The receipt HTML carries its own @page size, so both engines cut the page
// to the roll width.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PdfPage {
  widthMm: number;
  heightMm: number;
}

export interface PdfRenderer {
  htmlToPdf(html: string, page: PdfPage): Promise<Uint8Array>;
}

export class PdfError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PdfError';
  }
}

export interface ChromiumPdfOptions {
  chromiumPath: string;
  /** Where the temporary profile, HTML and PDF live (the app's data dir or the OS temp dir). */
  tmpDir: string;
  timeoutMs?: number;
}

/** Headless Chromium `--print-to-pdf`: one short-lived process per document, its own profile. */
export class ChromiumPdfRenderer implements PdfRenderer {
  private readonly chromiumPath: string;
  private readonly tmpDir: string;
  private readonly timeoutMs: number;

  constructor(opts: ChromiumPdfOptions) {
    this.chromiumPath = opts.chromiumPath;
    this.tmpDir = opts.tmpDir;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  async htmlToPdf(html: string, page: PdfPage): Promise<Uint8Array> {
    if (!(page.widthMm > 0 && page.heightMm > 0)) throw new PdfError('Tamanho de página inválido para o PDF.');
    const dir = await mkdtemp(join(this.tmpDir, 'balcao-pdf-'));
    try {
      const htmlPath = join(dir, 'receipt.html');
      const pdfPath = join(dir, 'receipt.pdf');
      await writeFile(htmlPath, html, 'utf8');
      await this.run([
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-pdf-header-footer',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${pdfPath}`,
        pathToFileURL(htmlPath).href,
      ]);
      const pdf = await readFile(pdfPath).catch((cause: unknown) => {
        throw new PdfError('O Chromium não gerou o PDF do cupom.', { cause });
      });
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfError('O Chromium gerou um PDF inválido.');
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private run(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.chromiumPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        if (stderr.length < 4000) stderr += d.toString();
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new PdfError('O Chromium demorou demais para gerar o PDF do cupom.'));
      }, this.timeoutMs);
      child.once('error', (cause) => {
        clearTimeout(timer);
        reject(new PdfError(`Chromium não encontrado em ${this.chromiumPath}: não é possível gerar o PDF.`, { cause }));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new PdfError(`O Chromium falhou ao gerar o PDF (código ${code}).`, { cause: stderr.slice(-1000) }));
      });
    });
  }
}
