import { inflateRawSync } from "node:zlib";

/**
 * Checks an uploaded XLSX (a ZIP) before exceljs inflates it: the central directory's declared
 * sizes must stay under the limits, and each entry is inflated once with its declared size as a hard
 * ceiling, so a bomb that lies about its sizes is stopped too.
 */

export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
/** Deflate cannot beat ~1032:1; real spreadsheets stay well under 100:1. */
export const MAX_RATIO = 200;
const MAX_ENTRIES = 2_000;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export type ZipCheck = { ok: true } | { ok: false; reason: "corrupt" | "tooLarge" | "ratio" };

type Entry = { method: number; compressed: number; uncompressed: number; localOffset: number };

export function checkZip(bytes: Buffer): ZipCheck {
  const entries = readCentralDirectory(bytes);
  if (!entries) return { ok: false, reason: "corrupt" };
  let total = 0;
  let compressed = 0;
  for (const e of entries) {
    total += e.uncompressed;
    compressed += e.compressed;
  }
  if (total > MAX_UNCOMPRESSED_BYTES) return { ok: false, reason: "tooLarge" };
  // Small files may compress very well (empty sheets); only large expansions are suspicious.
  if (total > 10 * 1024 * 1024 && total > compressed * MAX_RATIO) return { ok: false, reason: "ratio" };
  for (const e of entries) {
    const verdict = inflateWithin(bytes, e);
    if (verdict !== true) return { ok: false, reason: verdict };
  }
  return { ok: true };
}

function readCentralDirectory(bytes: Buffer): Entry[] | null {
  // The end record sits in the last 22 bytes plus at most a 65,535-byte comment.
  const start = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= start; i--) {
    if (bytes.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  const offset = bytes.readUInt32LE(eocd + 16);
  // 0xFFFF / 0xFFFFFFFF mean ZIP64, which no spreadsheet of our size needs.
  if (count === 0xffff || offset === 0xffffffff || count > MAX_ENTRIES || offset + size > eocd) return null;
  const entries: Entry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== CENTRAL_SIGNATURE) return null;
    const entry = {
      method: bytes.readUInt16LE(p + 10),
      compressed: bytes.readUInt32LE(p + 20),
      uncompressed: bytes.readUInt32LE(p + 24),
      localOffset: bytes.readUInt32LE(p + 42),
    };
    if (entry.compressed === 0xffffffff || entry.uncompressed === 0xffffffff) return null;
    entries.push(entry);
    p += 46 + bytes.readUInt16LE(p + 28) + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return entries;
}

/** Inflates one entry, refusing to produce more bytes than the directory declared. */
function inflateWithin(bytes: Buffer, e: Entry): true | "corrupt" | "tooLarge" {
  const p = e.localOffset;
  if (p + 30 > bytes.length || bytes.readUInt32LE(p) !== LOCAL_SIGNATURE) return "corrupt";
  const dataStart = p + 30 + bytes.readUInt16LE(p + 26) + bytes.readUInt16LE(p + 28);
  if (dataStart + e.compressed > bytes.length) return "corrupt";
  const data = bytes.subarray(dataStart, dataStart + e.compressed);
  if (e.method === 0) return e.compressed === e.uncompressed ? true : "corrupt";
  if (e.method !== 8) return "corrupt";
  try {
    // maxOutputLength makes zlib stop (RangeError) as soon as the output would pass the ceiling.
    const out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressed) });
    return out.length === e.uncompressed ? true : "corrupt";
  } catch (error) {
    return error instanceof RangeError ? "tooLarge" : "corrupt";
  }
}
