// Raw TCP "JetDirect" printing (port 9100): connect, optionally ask the printer's real-time status
// (DLE EOT), write the job, half-close and wait for the printer to close. Every phase is bounded,
// so a printer that is off or jammed fails in seconds instead of hanging the print queue.
import { connect, type Socket } from 'node:net';
import { PrinterError, type PrinterTransport } from './transport.ts';

export interface Tcp9100Options {
  host: string;
  port?: number;
  connectTimeoutMs?: number;
  /** Time for the printer to accept the whole job. */
  writeTimeoutMs?: number;
  /** Ask DLE EOT 2/4 before printing, to refuse with "sem papel"/"tampa aberta". Default true. */
  statusCheck?: boolean;
  /** Printers that do not answer DLE EOT are printed to anyway after this wait. */
  statusTimeoutMs?: number;
  /** After the half-close, how long to wait for the printer to close its side. */
  closeGraceMs?: number;
  /** Opens the connection; node:net by default (tests inject a socket that never connects). */
  connect?: (target: { host: string; port: number }) => Socket;
}

export interface PrinterStatus {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
}

const DLE_EOT_OFFLINE = [0x10, 0x04, 0x02];
const DLE_EOT_ROLL = [0x10, 0x04, 0x04];

/** Epson status bytes have bit 1 and bit 4 set and bits 0 and 7 clear. */
const isStatusByte = (b: number) => (b & 0x93) === 0x12;

export function parseStatus(offline: number, roll: number): PrinterStatus {
  return {
    coverOpen: (offline & 0x04) !== 0,
    paperOut: (offline & 0x20) !== 0 || (roll & 0x60) !== 0,
    paperNearEnd: (roll & 0x0c) !== 0,
  };
}

export class Tcp9100Transport implements PrinterTransport {
  readonly target: string;
  private readonly host: string;
  private readonly port: number;
  private readonly connectTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly statusCheck: boolean;
  private readonly statusTimeoutMs: number;
  private readonly closeGraceMs: number;
  private readonly connect: (target: { host: string; port: number }) => Socket;

  constructor(opts: Tcp9100Options) {
    const host = opts.host?.trim();
    if (!host) throw new PrinterError('config', 'Informe o endereço IP da impressora de rede nas configurações.');
    const port = opts.port ?? 9100;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new PrinterError('config', `Porta da impressora inválida (${opts.port}): use 9100 na maioria dos modelos.`);
    }
    this.host = host;
    this.port = port;
    this.target = `${host}:${port}`;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 3000;
    this.writeTimeoutMs = opts.writeTimeoutMs ?? 15_000;
    this.statusCheck = opts.statusCheck ?? true;
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 800;
    this.closeGraceMs = opts.closeGraceMs ?? 2000;
    this.connect = opts.connect ?? connect;
  }

  async send(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const socket = await this.open(signal);
    try {
      if (this.statusCheck) {
        const status = await this.queryStatus(socket, signal);
        if (status?.coverOpen) {
          throw new PrinterError('cover_open', `Tampa da impressora aberta (${this.target}). Feche a tampa e reimprima o cupom.`);
        }
        if (status?.paperOut) {
          throw new PrinterError('paper_out', `Impressora sem papel (${this.target}). Coloque uma bobina nova e reimprima o cupom.`);
        }
      }
      await this.write(socket, bytes, signal);
      await this.finish(socket);
    } finally {
      socket.destroy();
    }
  }

  /** The printer's real-time status, or null when it does not answer DLE EOT. */
  async status(signal?: AbortSignal): Promise<PrinterStatus | null> {
    const socket = await this.open(signal);
    try {
      return await this.queryStatus(socket, signal);
    } finally {
      socket.destroy();
    }
  }

  private offline(cause?: unknown): PrinterError {
    return new PrinterError('offline', `Impressora desligada ou fora da rede (${this.target}).`, { cause });
  }

  private open(signal?: AbortSignal): Promise<Socket> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new PrinterError('aborted', 'Impressão cancelada.'));
      const socket = this.connect({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => fail(this.offline(new Error('connect timeout'))), this.connectTimeoutMs);
      const onAbort = () => fail(new PrinterError('aborted', 'Impressão cancelada.'));
      const cleanup = () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off('connect', onConnect);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (err: PrinterError) => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onError = (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
          fail(new PrinterError('not_found', `Impressora não encontrada na rede (${this.target}): confira o endereço nas configurações.`, { cause: err }));
        } else {
          fail(this.offline(err));
        }
      };
      const onConnect = () => {
        cleanup();
        // A late socket error must not crash the process; each phase installs its own handler.
        socket.on('error', () => {});
        resolve(socket);
      };
      socket.once('error', onError);
      socket.once('connect', onConnect);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private queryStatus(socket: Socket, signal?: AbortSignal): Promise<PrinterStatus | null> {
    return new Promise((resolve, reject) => {
      const got: number[] = [];
      const timer = setTimeout(() => done(null), this.statusTimeoutMs);
      const onData = (chunk: Buffer) => {
        // Ignore anything that is not a status byte (e.g. automatic status back from an earlier job).
        for (const b of chunk) if (isStatusByte(b)) got.push(b);
        if (got.length >= 2) done(parseStatus(got[0] as number, got[1] as number));
      };
      const onClose = () => fail(new PrinterError('connection_lost', `A impressora encerrou a conexão (${this.target}). Tente reimprimir.`));
      const onAbort = () => fail(new PrinterError('aborted', 'Impressão cancelada.'));
      const cleanup = () => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
        signal?.removeEventListener('abort', onAbort);
      };
      const done = (s: PrinterStatus | null) => {
        cleanup();
        resolve(s);
      };
      const fail = (e: PrinterError) => {
        cleanup();
        reject(e);
      };
      socket.on('data', onData);
      socket.once('close', onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.write(Uint8Array.from([...DLE_EOT_OFFLINE, ...DLE_EOT_ROLL]));
    });
  }

  private write(socket: Socket, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          fail(new PrinterError('timeout', `A impressora não recebeu o cupom a tempo (${this.target}). Verifique papel, tampa e cabo de rede e reimprima.`)),
        this.writeTimeoutMs,
      );
      const onError = (err: Error) =>
        fail(new PrinterError('connection_lost', `A conexão com a impressora caiu durante a impressão (${this.target}). Reimprima o cupom.`, { cause: err }));
      const onAbort = () => fail(new PrinterError('aborted', 'Impressão cancelada.'));
      const cleanup = () => {
        clearTimeout(timer);
        socket.off('error', onError);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (e: PrinterError) => {
        cleanup();
        socket.destroy();
        reject(e);
      };
      socket.once('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      // end() flushes then sends FIN; its callback fires once the kernel took every byte.
      socket.end(bytes, () => {
        cleanup();
        resolve();
      });
    });
  }

  /** Waits (bounded) for the printer to close its side, which most do after the FIN. */
  private finish(socket: Socket): Promise<void> {
    return new Promise((resolve) => {
      if (socket.closed) return resolve();
      const timer = setTimeout(resolve, this.closeGraceMs);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.resume();
    });
  }
}
