/**
 * Instrument photos are stored as `instruments/<instrument id>/<uuid>.webp` (1600 px) with a
 * 400 px `…-thumb.webp` beside it; pages refer to them by URL path under /uploads/.
 */
export const UPLOADS_PREFIX = "/uploads/";

const PHOTO_KEY = /^instruments\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(-thumb)?\.webp$/;

export function photoKeys(instrumentId: string, photoId: string) {
  const base = `instruments/${instrumentId}/${photoId}`;
  return { full: `${base}.webp`, thumb: `${base}-thumb.webp` };
}

export const urlOfKey = (key: string) => `${UPLOADS_PREFIX}${key}`;

/** The storage key of an uploads URL path, or null for anything else. */
export function keyOfUrl(url: string): string | null {
  return url.startsWith(UPLOADS_PREFIX) ? url.slice(UPLOADS_PREFIX.length) : null;
}

/** The thumbnail beside a stored photo; other URLs (e.g. imported links) are returned as they are. */
export function thumbnailUrl(url: string): string {
  return url.startsWith(UPLOADS_PREFIX) && url.endsWith(".webp") && !url.endsWith("-thumb.webp")
    ? `${url.slice(0, -".webp".length)}-thumb.webp`
    : url;
}

/** Which instrument a stored photo key belongs to, or null when the key is not a photo's. */
export function parsePhotoKey(key: string): { instrumentId: string; photoId: string; thumb: boolean } | null {
  const m = PHOTO_KEY.exec(key);
  return m ? { instrumentId: m[1], photoId: m[2], thumb: m[3] !== undefined } : null;
}
