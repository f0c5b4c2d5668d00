// A receipt printer as the rest of main sees it: "print this DANFCe". The network printer gets
// ESC/POS bytes; an OS (driver) printer gets the HTML rendering. Built from the printer settings.
import type { PrinterSettings } from '../../shared/contract.ts';
import type { ReceiptModel } from '../../shared/receipt/model.ts';
import { encodeDrawerKick, encodeReceipt, type EscPosOptions } from './escpos.ts';
import { PAPER, renderReceiptPage } from './html.ts';
import { Tcp9100Transport, type Tcp9100Options } from './transports/tcp9100.ts';
import type { OsPrintPort } from './transports/os-print.ts';
import { PrinterError, type PrinterTransport } from './transports/transport.ts';

export interface ReceiptPrinter {
  /** 'Rede 192.168.0.50:9100' / 'Sistema: EPSON TM-T20' for status and messages. */
  readonly name: string;
  print(model: ReceiptModel, signal?: AbortSignal): Promise<void>;
  /** Opens the cash drawer wired to the printer; absent where the printer cannot (OS drivers). */
  kickDrawer?(signal?: AbortSignal): Promise<void>;
}

export class EscPosReceiptPrinter implements ReceiptPrinter {
  readonly name: string;
  private readonly transport: PrinterTransport;
  private readonly options: EscPosOptions;
  constructor(transport: PrinterTransport, options: EscPosOptions = {}) {
    this.transport = transport;
    this.options = options;
    this.name = `Rede ${transport.target}`;
  }
  async print(model: ReceiptModel, signal?: AbortSignal): Promise<void> {
    await this.transport.send(encodeReceipt(model, this.options), signal);
  }
  async kickDrawer(signal?: AbortSignal): Promise<void> {
    await this.transport.send(encodeDrawerKick(), signal);
  }
}

export class OsReceiptPrinter implements ReceiptPrinter {
  readonly name: string;
  private readonly port: OsPrintPort;
  private readonly deviceName: string;
  constructor(port: OsPrintPort, deviceName: string) {
    this.port = port;
    this.deviceName = deviceName;
    this.name = `Sistema: ${deviceName}`;
  }
  async print(model: ReceiptModel): Promise<void> {
    // One layout for both the page size and the HTML.
    const { html, page } = renderReceiptPage(model);
    await this.port.printHtml(html, {
      deviceName: this.deviceName,
      widthMicrons: PAPER[model.width].paperMm * 1000,
      heightMicrons: page.heightMm * 1000,
    });
  }
}

export interface PrinterDeps {
  /** Electron's silent print where the shell provides it; absent in the browser host and tests. */
  osPrint?: OsPrintPort;
  /** Overrides for timeouts and status checks (tests, slow networks). */
  tcp?: Omit<Tcp9100Options, 'host' | 'port'>;
  /** Printer resolution override for the QR size. */
  dpi?: number;
}

/** The printer for the current settings, or null when printing is turned off ('none'). */
export function createReceiptPrinter(settings: PrinterSettings, deps: PrinterDeps = {}): ReceiptPrinter | null {
  if (settings.kind === 'none') return null;
  if (settings.kind === 'network') {
    const transport = new Tcp9100Transport({ ...deps.tcp, host: settings.host ?? '', port: settings.port ?? 9100 });
    return new EscPosReceiptPrinter(transport, {
      codePage: settings.codePage,
      nativeQr: settings.nativeQr,
      // The drawer opens at payment (a job of its own), never again on a receipt or a reprint.
      drawer: false,
      ...(deps.dpi ? { dpi: deps.dpi } : {}),
    });
  }
  if (!settings.deviceName?.trim()) {
    throw new PrinterError('config', 'Escolha a impressora do sistema nas configurações de impressão.');
  }
  if (!deps.osPrint) {
    throw new PrinterError('config', 'A impressão pelo sistema só está disponível no aplicativo instalado. Use a impressora de rede ou gere o PDF.');
  }
  return new OsReceiptPrinter(deps.osPrint, settings.deviceName);
}
