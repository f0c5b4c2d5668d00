// Printing through the operating system's driver (Electron's silent webContents.print). This module
// must not import electron (house rule): it defines the port and an adapter over anything shaped
// like a webContents; main/ipc or main/index.ts passes a hidden window's webContents in.
import { PrinterError } from './transport.ts';

/** The subset of Electron's WebContentsPrintOptions we use (pageSize in MICRONS for print()). */
export interface SilentPrintOptions {
  silent: true;
  deviceName: string;
  printBackground: true;
  copies: number;
  margins: { marginType: 'none' };
  pageSize: { width: number; height: number };
}

/** The part of Electron's WebContents the adapter needs. */
export interface WebContentsLike {
  loadURL(url: string): Promise<unknown>;
  print(options: SilentPrintOptions, callback?: (success: boolean, failureReason: string) => void): void;
}

export interface OsPrintJob {
  /** The system printer name (from webContents.getPrintersAsync()), not the friendly name. */
  deviceName: string;
  widthMicrons: number;
  heightMicrons: number;
  copies?: number;
}

export interface OsPrintPort {
  printHtml(html: string, job: OsPrintJob): Promise<void>;
}

/** Chromium rejects a page side under 353 µm; receipts are far above, a typo is not. */
const MIN_MICRONS = 353;

/**
 * Port over a webContents-like object. `getContents` may create a fresh hidden window per job or
 * reuse one; jobs are serialised by the print queue, so one contents is never printing twice.
 */
export function createWebContentsPrintPort(getContents: () => WebContentsLike | Promise<WebContentsLike>, opts: { timeoutMs?: number } = {}): OsPrintPort {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return {
    async printHtml(html, job) {
      if (!job.deviceName.trim()) {
        throw new PrinterError('config', 'Escolha a impressora do sistema nas configurações de impressão.');
      }
      const width = Math.round(job.widthMicrons);
      const height = Math.round(job.heightMicrons);
      if (!(width >= MIN_MICRONS && height >= MIN_MICRONS)) {
        throw new PrinterError('config', 'Tamanho de página inválido para a impressora do sistema.');
      }
      const contents = await getContents();
      await contents.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new PrinterError('timeout', `A impressora "${job.deviceName}" não respondeu. Verifique se está ligada e reimprima.`)),
          timeoutMs,
        );
        contents.print(
          {
            silent: true,
            deviceName: job.deviceName,
            printBackground: true,
            copies: job.copies ?? 1,
            margins: { marginType: 'none' },
            // Without an explicit pageSize Electron sends A4 even to a receipt printer.
            pageSize: { width, height },
          },
          (success, failureReason) => {
            clearTimeout(timer);
            if (success) resolve();
            else {
              reject(
                new PrinterError(
                  'os_print',
                  `A impressora "${job.deviceName}" recusou o cupom${failureReason ? ` (${failureReason})` : ''}. Verifique a impressora e reimprima.`,
                ),
              );
            }
          },
        );
      });
    },
  };
}
