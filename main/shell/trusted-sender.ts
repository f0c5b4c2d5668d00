// Did this IPC call come from the main frame of our own window, showing our own UI? Structural
// types only (no 'electron' import), so it is table-tested without the mock.
import { isAppUrl } from './trusted-url.ts';

/** The part of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  url: string;
  parent: FrameLike | null;
}

export interface IpcOptions<W = unknown> {
  /** True only for the webContents of the window main created. */
  isOurContents(contents: W): boolean;
}

export function isTrustedSender<W>(event: { sender: W; senderFrame: FrameLike | null | undefined }, opts: IpcOptions<W>): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  // Sub-frames (a receipt preview, anything embedded) never speak for the app.
  if (frame.parent !== null) return false;
  if (!opts.isOurContents(event.sender)) return false;
  return isAppUrl(frame.url);
}
