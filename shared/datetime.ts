// Fiscal date-times are local wall-clock time WITH the offset ('2026-11-24T10:15:00-03:00').
// The chave's AAMM and the QR's day come from the string as written, never from UTC, so every
// helper here reads the local fields straight from the text instead of going through Date.
// Offsets are minutes EAST of UTC, ISO sign: Brasília = -180 (note: Date#getTimezoneOffset() is the
// opposite sign; use localOffsetMinutes()).

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The ISO-sign offset (minutes east of UTC) that the host clock applies at `epochMs`. */
export function localOffsetMinutes(epochMs: number): number {
  const off = -new Date(epochMs).getTimezoneOffset();
  return off === 0 ? 0 : off; // never -0
}

/** -180 → '-03:00', 330 → '+05:30'. */
export function formatOffset(offsetMinutes: number): string {
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 14 * 60) {
    throw new RangeError(`fuso horário inválido: ${offsetMinutes} minutos`);
  }
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * The local day ('YYYY-MM-DD') of an instant on this host's clock, the shop's calendar day. Days in
 * journals, reports and file names use it: the UTC date is already tomorrow from 21:00 in Brasília.
 */
export function localDayOf(epochMs: number): string {
  return toFocusDateTime(epochMs, localOffsetMinutes(epochMs)).slice(0, 10);
}

/** epoch ms + offset → 'YYYY-MM-DDTHH:MM:SS±HH:MM' (seconds precision, what data_emissao wants). */
export function toFocusDateTime(epochMs: number, offsetMinutes: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError('data inválida');
  const offsetText = formatOffset(offsetMinutes);
  // Shift to the wall clock, then read the UTC fields of the shifted instant.
  const d = new Date(Math.floor(epochMs / 1000) * 1000 + offsetMinutes * 60_000);
  const y = d.getUTCFullYear();
  if (y < 1000 || y > 9999) throw new RangeError('data fora do intervalo suportado');
  return (
    `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` + `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${offsetText}`
  );
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC as written in the string. */
  offsetMinutes: number;
  /** The instant it denotes. */
  epochMs: number;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a date-time with an explicit offset ('…-03:00', '…-0300', '…Z', optional fraction).
 * Returns null for anything else, including an impossible calendar date or a missing offset
 * (a fiscal time without offset is ambiguous).
 */
export function parseFocusDateTime(text: string): LocalDateTime | null {
  if (typeof text !== 'string') return null;
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const offsetMinutes = parseOffset(m[7] as string);
  if (offsetMinutes === null) return null;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  return { year, month, day, hour, minute, second, offsetMinutes, epochMs: wall - offsetMinutes * 60_000 };
}

/** 'Z' → 0, '-03:00' / '-0300' → -180; or the offset at the end of a full date-time string. */
export function parseOffset(text: string): number | null {
  const m = /(Z|([+-])(\d{2}):?(\d{2}))$/.exec(text.trim());
  if (!m) return null;
  if (m[1] === 'Z') return 0;
  const h = Number(m[3]);
  const min = Number(m[4]);
  if (h > 14 || min > 59) return null;
  const v = h * 60 + min;
  return m[2] === '-' ? (v === 0 ? 0 : -v) : v;
}

function mustParse(text: string): LocalDateTime {
  const p = parseFocusDateTime(text);
  if (!p) throw new RangeError(`data/hora inválida (esperado AAAA-MM-DDTHH:MM:SS-03:00): ${text}`);
  return p;
}

/** Day of month in the string's own local time: '2026-11-30T22:30:00-03:00' → 30 (UTC would say 1). */
export function dayOfMonth(text: string): number {
  return mustParse(text).day;
}

/** 'AAMM' of the chave from the string's local date ('2026-12-01T00:10:00-03:00' → '2612'). */
export function yearMonthAAMM(text: string): string {
  const p = mustParse(text);
  return `${pad2(p.year % 100)}${pad2(p.month)}`;
}

/** '2026-11-24T10:15:00-03:00' → '24/11/2026'. */
export function formatDateBR(text: string): string {
  const p = mustParse(text);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

/** '2026-11-24T10:15:09-03:00' → '10:15' (or '10:15:09' with seconds). */
export function formatTimeBR(text: string, opts: { seconds?: boolean } = {}): string {
  const p = mustParse(text);
  const hm = `${pad2(p.hour)}:${pad2(p.minute)}`;
  return opts.seconds ? `${hm}:${pad2(p.second)}` : hm;
}

/** '24/11/2026 10:15:09' (DANFCe emission line) or without seconds. */
export function formatDateTimeBR(text: string, opts: { seconds?: boolean } = { seconds: true }): string {
  return `${formatDateBR(text)} ${formatTimeBR(text, opts)}`;
}
