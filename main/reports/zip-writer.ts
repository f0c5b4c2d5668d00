// A zip written to a file descriptor entry by entry, holding nothing of an entry once it is written
// but its central-directory record (in one growing buffer, ~100 bytes an entry). Written by hand for
// two measured reasons: fflate's Zip keeps ~650 bytes of JavaScript objects per entry until the end
// (a month of 30,000 XMLs kept the export's heap and young generation large), and it writes the
// entry count in 16 bits, so a month with more than 65,535 files came out damaged. This one switches
// to ZIP64 records when the count or an offset needs it (APPNOTE 6.3, §4.3.14–4.3.16, §4.5.3).
//
// Every entry is compressed by one long-lived zlib stream (FlushedDeflate) rather than a
// deflateRawSync per entry: each of those calls builds a stream and its output buffers, garbage
// the collector let grow to ~90 MB over a month of small XMLs.
import { writeSync } from 'node:fs';
import { constants, crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
/** Names are UTF-8 (general purpose flag bit 11). */
const UTF8 = 0x0800;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

/** MS-DOS date and time of a local instant (the zip's only timestamp format). */
function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipWriter {
  readonly #fd: number;
  readonly #stamp: { time: number; date: number };
  /** Output is gathered in one block and written when full: one system call per MB, not per entry. */
  #block = Buffer.allocUnsafe(1 << 20);
  #used = 0;
  #central = Buffer.allocUnsafe(1 << 16);
  #centralUsed = 0;
  #offset = 0;
  #count = 0;
  #deflate: FlushedDeflate | null = null;

  constructor(fd: number, modified: Date) {
    this.#fd = fd;
    this.#stamp = dosDateTime(modified);
  }

  /** Bytes written so far (the archive's size once ended). */
  get size(): number {
    return this.#offset + this.#used;
  }

  /**
   * Adds one file: deflated (level 6) unless `compress` is false (an already compressed PDF).
   * `data` may be reused by the caller once the promise settles.
   */
  async add(name: string, data: Uint8Array, compress = true): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > MAX16) throw new Error(`zip entry name too long: ${name}`);
    // An empty file is stored: a flush with nothing new to compress gives zlib nothing to write.
    const deflated = compress && data.length > 0;
    const body = deflated ? await (this.#deflate ??= new FlushedDeflate()).deflate(data) : data;
    const crc = crc32(data);
    const method = deflated ? 8 : 0;
    const at = this.size;
    const local = Buffer.allocUnsafe(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(this.#stamp.time, 10);
    local.writeUInt16LE(this.#stamp.date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    this.#write(local);
    this.#write(nameBytes);
    this.#write(body);
    // The central record: its offset goes to a ZIP64 extra field past 4 GiB (entries themselves are
    // small: a note's XML is kilobytes).
    const far = at >= MAX32;
    const rec = this.#reserve(46 + nameBytes.length + (far ? 12 : 0));
    const c = this.#central;
    c.writeUInt32LE(CENTRAL, rec);
    c.writeUInt16LE(far ? 45 : 20, rec + 4); // made by: MS-DOS attributes, spec version
    c.writeUInt16LE(far ? 45 : 20, rec + 6);
    c.writeUInt16LE(UTF8, rec + 8);
    c.writeUInt16LE(method, rec + 10);
    c.writeUInt16LE(this.#stamp.time, rec + 12);
    c.writeUInt16LE(this.#stamp.date, rec + 14);
    c.writeUInt32LE(crc, rec + 16);
    c.writeUInt32LE(body.length, rec + 20);
    c.writeUInt32LE(data.length, rec + 24);
    c.writeUInt16LE(nameBytes.length, rec + 28);
    c.writeUInt16LE(far ? 12 : 0, rec + 30);
    c.fill(0, rec + 32, rec + 42); // comment length, disk, internal and external attributes
    c.writeUInt32LE(far ? MAX32 : at, rec + 42);
    nameBytes.copy(c, rec + 46);
    if (far) {
      const x = rec + 46 + nameBytes.length;
      c.writeUInt16LE(1, x);
      c.writeUInt16LE(8, x + 2);
      c.writeBigUInt64LE(BigInt(at), x + 4);
    }
    this.#count++;
  }

  /** Writes the central directory and the end records (ZIP64 ones when needed) and flushes. */
  end(): void {
    this.close();
    const cdOffset = this.size;
    this.#write(this.#central.subarray(0, this.#centralUsed));
    const cdSize = this.#centralUsed;
    this.#central = Buffer.alloc(0);
    const zip64 = this.#count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
    if (zip64) {
      const end64At = this.size;
      const r = Buffer.alloc(56 + 20);
      r.writeUInt32LE(END64, 0);
      r.writeBigUInt64LE(44n, 4); // the record's size after this field
      r.writeUInt16LE(45, 12);
      r.writeUInt16LE(45, 14);
      // disk numbers (16, 20) stay 0
      r.writeBigUInt64LE(BigInt(this.#count), 24);
      r.writeBigUInt64LE(BigInt(this.#count), 32);
      r.writeBigUInt64LE(BigInt(cdSize), 40);
      r.writeBigUInt64LE(BigInt(cdOffset), 48);
      r.writeUInt32LE(LOCATOR64, 56);
      r.writeBigUInt64LE(BigInt(end64At), 64);
      r.writeUInt32LE(1, 72); // total disks
      this.#write(r);
    }
    const e = Buffer.alloc(22);
    e.writeUInt32LE(END, 0);
    e.writeUInt16LE(Math.min(this.#count, MAX16), 8);
    e.writeUInt16LE(Math.min(this.#count, MAX16), 10);
    e.writeUInt32LE(Math.min(cdSize, MAX32), 12);
    e.writeUInt32LE(Math.min(cdOffset, MAX32), 16);
    this.#write(e);
    this.#flush();
  }

  /** Releases the compressor (end() does it; call it when giving up on the archive). */
  close(): void {
    this.#deflate?.close();
    this.#deflate = null;
  }

  #write(bytes: Uint8Array): void {
    if (this.#used + bytes.length > this.#block.length) this.#flush();
    if (bytes.length >= this.#block.length) {
      writeAll(this.#fd, bytes);
      this.#offset += bytes.length;
    } else {
      this.#block.set(bytes, this.#used);
      this.#used += bytes.length;
    }
  }

  #flush(): void {
    if (this.#used === 0) return;
    writeAll(this.#fd, this.#block.subarray(0, this.#used));
    this.#offset += this.#used;
    this.#used = 0;
  }

  /** Room for `n` more bytes of central directory; returns where they start. */
  #reserve(n: number): number {
    if (this.#centralUsed + n > this.#central.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#central.length * 2, this.#centralUsed + n));
      this.#central.copy(grown, 0, 0, this.#centralUsed);
      this.#central = grown;
    }
    const at = this.#centralUsed;
    this.#centralUsed += n;
    return at;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** The empty final block (fixed Huffman, BFINAL set) that ends a flushed deflate segment. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/** What a full flush ends its output with: an empty stored block. */
const SYNC_MARK = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/**
 * One zlib stream whose every write is a full flush: the output of a write is byte-aligned and
 * refers to nothing written before it (the dictionary is reset), so ended with an empty final block
 * it is a complete raw deflate stream of its own, what a zip entry holds (the technique of pigz).
 */
class FlushedDeflate {
  readonly #z: DeflateRaw = createDeflateRaw({ level: 6, flush: constants.Z_FULL_FLUSH });
  #chunks: Buffer[] = [];
  #failure: Error | null = null;

  constructor() {
    this.#z.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
    this.#z.on('error', (err) => (this.#failure ??= err));
  }

  async deflate(data: Uint8Array): Promise<Buffer> {
    await new Promise<void>((resolve, reject) => this.#z.write(data, (err) => (err ? reject(err) : resolve())));
    if (this.#failure) throw this.#failure;
    const out = Buffer.concat([...this.#chunks, FINAL_BLOCK]);
    this.#chunks = [];
    // The write's output must have arrived whole before its callback: a segment that does not end
    // with the flush's mark would make a damaged entry, so it stops the archive instead.
    if (!out.subarray(out.length - 6, out.length - 2).equals(SYNC_MARK)) throw new Error('zlib output did not end with a full flush');
    return out;
  }

  close(): void {
    this.#z.close();
  }
}
