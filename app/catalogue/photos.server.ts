import sharp from "sharp";

/**
 * Checks and resizes instrument photos. The type is decided by decoding the content (never the
 * file name or the browser's claim); every photo is re-encoded, which also drops EXIF data such as
 * GPS positions.
 */

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTOS = 8;
const FULL_SIZE = 1600;
const THUMB_SIZE = 400;
const ACCEPTED_FORMATS = new Set(["jpeg", "png", "webp"]);

export type PhotoError =
  | "manage:photos.errors.tooLarge"
  | "manage:photos.errors.notImage"
  | "manage:photos.errors.corrupt"
  | "manage:photos.errors.empty";

export type ProcessedPhoto = { full: Buffer; thumb: Buffer; width: number; height: number };

export async function processPhoto(bytes: Uint8Array): Promise<{ ok: true; photo: ProcessedPhoto } | { ok: false; error: PhotoError }> {
  if (bytes.byteLength === 0) return { ok: false, error: "manage:photos.errors.empty" };
  if (bytes.byteLength > MAX_PHOTO_BYTES) return { ok: false, error: "manage:photos.errors.tooLarge" };
  let format: string | undefined;
  try {
    format = (await sharp(bytes).metadata()).format;
  } catch {
    return { ok: false, error: "manage:photos.errors.notImage" };
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) return { ok: false, error: "manage:photos.errors.notImage" };
  try {
    // failOn "warning": a truncated or damaged file is refused rather than stored half grey.
    const source = sharp(bytes, { failOn: "warning" }).rotate();
    const { data: full, info } = await source
      .clone()
      .resize({ width: FULL_SIZE, height: FULL_SIZE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await source
      .clone()
      .resize({ width: THUMB_SIZE, height: THUMB_SIZE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
    return { ok: true, photo: { full, thumb, width: info.width, height: info.height } };
  } catch {
    return { ok: false, error: "manage:photos.errors.corrupt" };
  }
}
