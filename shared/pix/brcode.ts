// BR Code: the EMV® Merchant-Presented QR payload that Pix uses (Bacen's "Manual de Padrões para
// Iniciação do Pix"). A payload is a string of TLV fields (2-digit id, 2-digit length, value) that
// ends with field 63, a CRC16-CCITT (poly 0x1021, init 0xFFFF) over everything before its value.
//
// Dynamic codes (tPag 17) come from the PSP in `pixCopiaECola`; we only parse and check them.
// Static codes (tPag 20, a fallback the manager enables) are built here from the shop's key.

/** CRC16-CCITT-FALSE as 4 upper-case hex digits. */
export function crc16(payload: string): string {
  let crc = 0xffff;
  for (let i = 0; i < payload.length; i++) {
    crc ^= payload.charCodeAt(i) << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface TlvField {
  id: string;
  value: string;
}

export class BrCodeError extends Error {
  readonly code: 'brcode_malformed' | 'brcode_crc' | 'brcode_field';
  constructor(code: BrCodeError['code'], message: string) {
    super(message);
    this.name = 'BrCodeError';
    this.code = code;
  }
}

/** One TLV field; the value must be printable ASCII of at most 99 characters. */
export function tlv(id: string, value: string): string {
  if (!/^\d{2}$/.test(id)) throw new BrCodeError('brcode_field', `identificador de campo inválido: ${id}`);
  if (value.length === 0 || value.length > 99) throw new BrCodeError('brcode_field', `campo ${id} com tamanho inválido (${value.length})`);
  if (!/^[\x20-\x7e]*$/.test(value)) throw new BrCodeError('brcode_field', `campo ${id} com caracteres não permitidos`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** Splits a TLV string into fields (no nesting). */
export function parseTlv(s: string): TlvField[] {
  const out: TlvField[] = [];
  let i = 0;
  while (i < s.length) {
    if (i + 4 > s.length) throw new BrCodeError('brcode_malformed', 'código Pix truncado');
    const id = s.slice(i, i + 2);
    const len = Number(s.slice(i + 2, i + 4));
    if (!/^\d{4}$/.test(s.slice(i, i + 4)) || i + 4 + len > s.length) throw new BrCodeError('brcode_malformed', 'código Pix malformado');
    out.push({ id, value: s.slice(i + 4, i + 4 + len) });
    i += 4 + len;
  }
  return out;
}

/** Text fields of the BR Code take plain ASCII: accents are dropped, not replaced by '?'. */
export function asciiField(s: string, max: number): string {
  const plain = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '')
    .trim();
  return plain.slice(0, max).trim();
}

/** Centavos as the BR Code / API Pix amount: "12.34". */
export function pixAmount(cents: number): string {
  if (!Number.isInteger(cents) || cents <= 0) throw new BrCodeError('brcode_field', 'valor do Pix inválido');
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** "12.34" → 1234; null when the text is not an API Pix amount. */
export function parsePixAmount(s: string): number | null {
  const m = /^(\d{1,10})\.(\d{2})$/.exec(s);
  return m ? Number(m[1]) * 100 + Number(m[2]) : null;
}

const GUI = 'br.gov.bcb.pix';

function withCrc(body: string): string {
  const head = `${body}6304`;
  return head + crc16(head);
}

export interface StaticBrCodeInput {
  /** The shop's Pix key (CPF/CNPJ digits, e-mail, +55 phone or EVP). */
  key: string;
  merchantName: string;
  merchantCity: string;
  /** Omit for an open amount (the payer types it). */
  amountCents?: number;
  /** Reference label (field 62-05): up to 25 letters and digits; '***' when none. */
  txid?: string;
}

/** A static BR Code (Pix key in field 26-01). */
export function staticBrCode(input: StaticBrCodeInput): string {
  const txid = input.txid ?? '***';
  if (txid !== '***' && !/^[A-Za-z0-9]{1,25}$/.test(txid)) throw new BrCodeError('brcode_field', 'identificador (txid) do Pix estático inválido');
  const name = asciiField(input.merchantName, 25);
  const city = asciiField(input.merchantCity, 15);
  if (!name || !city) throw new BrCodeError('brcode_field', 'nome e cidade do recebedor são obrigatórios no Pix');
  return withCrc(
    tlv('00', '01') +
      tlv('26', tlv('00', GUI) + tlv('01', input.key.trim())) +
      tlv('52', '0000') +
      tlv('53', '986') +
      (input.amountCents !== undefined ? tlv('54', pixAmount(input.amountCents)) : '') +
      tlv('58', 'BR') +
      tlv('59', name) +
      tlv('60', city) +
      tlv('62', tlv('05', txid)),
  );
}

export interface DynamicBrCodeInput {
  /** The PSP's payload location, without the scheme: "pix.example.com/qr/v2/…". */
  location: string;
  merchantName: string;
  merchantCity: string;
}

/** A dynamic BR Code (payload location in field 26-25), single use (01 = "12"). */
export function dynamicBrCode(input: DynamicBrCodeInput): string {
  const location = input.location.replace(/^https?:\/\//, '');
  return withCrc(
    tlv('00', '01') +
      tlv('01', '12') +
      tlv('26', tlv('00', GUI) + tlv('25', location)) +
      tlv('52', '0000') +
      tlv('53', '986') +
      tlv('58', 'BR') +
      tlv('59', asciiField(input.merchantName, 25)) +
      tlv('60', asciiField(input.merchantCity, 15)) +
      tlv('62', tlv('05', '***')),
  );
}

export interface ParsedBrCode {
  dynamic: boolean;
  key: string | null;
  location: string | null;
  amountCents: number | null;
  merchantName: string;
  merchantCity: string;
  txid: string | null;
}

/** Parses and checks a BR Code (CRC, mandatory fields, the Pix GUI). */
export function parseBrCode(code: string): ParsedBrCode {
  const s = code.trim();
  const m = /^(.*6304)([0-9A-Fa-f]{4})$/.exec(s);
  if (!m) throw new BrCodeError('brcode_malformed', 'código Pix sem CRC');
  if (crc16(m[1]!) !== m[2]!.toUpperCase()) throw new BrCodeError('brcode_crc', 'código Pix com CRC inválido');
  const fields = new Map(parseTlv(s).map((f) => [f.id, f.value]));
  if (fields.get('00') !== '01') throw new BrCodeError('brcode_field', 'código Pix sem indicador de formato');
  const account = fields.get('26');
  if (!account) throw new BrCodeError('brcode_field', 'código Pix sem dados do recebedor');
  const acc = new Map(parseTlv(account).map((f) => [f.id, f.value]));
  if (acc.get('00')?.toLowerCase() !== GUI) throw new BrCodeError('brcode_field', 'não é um código Pix');
  const extra = fields.get('62');
  const ref = extra ? new Map(parseTlv(extra).map((f) => [f.id, f.value])).get('05') : undefined;
  const amount = fields.get('54');
  return {
    dynamic: acc.has('25'),
    key: acc.get('01') ?? null,
    location: acc.get('25') ?? null,
    amountCents: amount ? parsePixAmount(/^\d+\.\d{2}$/.test(amount) ? amount : `${amount}.00`) : null,
    merchantName: fields.get('59') ?? '',
    merchantCity: fields.get('60') ?? '',
    txid: ref && ref !== '***' ? ref : null,
  };
}
