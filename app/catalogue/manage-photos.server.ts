import { randomUUID } from "node:crypto";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { instruments, labs, organizations } from "../../db/schema";
import { can, type Viewer } from "~/accounts/permissions";
import { getDb } from "~/lib/db.server";
import { formOf } from "~/lib/form.server";
import { logger } from "~/lib/log.server";
import { storage } from "~/lib/storage.server";
import { keyOfUrl, parsePhotoKey, photoKeys, thumbnailUrl, urlOfKey } from "./photo-urls";
import { MAX_PHOTO_BYTES, MAX_PHOTOS, processPhoto, type PhotoError, type ProcessedPhoto } from "./photos.server";

/**
 * An instrument's photos: files in storage, their URL paths in order in `instruments.photos`.
 * Files are written before the row is updated and removed again if the update fails; a removed
 * photo's files go after the row no longer names them. So the row never names a missing file.
 */

export type PhotoResult = { ok: true } | { ok: false; errors: { photo: PhotoError | "manage:photos.errors.tooMany" | "manage:photos.errors.required" | "manage:errors.instrumentGone" } };

export async function addPhotos(instrumentId: string, uploads: Uint8Array[]): Promise<PhotoResult> {
  if (uploads.length === 0) return { ok: false, errors: { photo: "manage:photos.errors.required" } };
  if (uploads.length > MAX_PHOTOS) return { ok: false, errors: { photo: "manage:photos.errors.tooMany" } };
  const processed: ProcessedPhoto[] = [];
  for (const bytes of uploads) {
    const result = await processPhoto(bytes);
    if (!result.ok) return { ok: false, errors: { photo: result.error } };
    processed.push(result.photo);
  }
  const db = await getDb();
  const written: string[] = [];
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select({ photos: instruments.photos }).from(instruments).where(eq(instruments.id, instrumentId)).for("update").limit(1);
      if (!row) return { ok: false as const, errors: { photo: "manage:errors.instrumentGone" as const } };
      if (row.photos.length + processed.length > MAX_PHOTOS) return { ok: false as const, errors: { photo: "manage:photos.errors.tooMany" as const } };
      const urls: string[] = [];
      for (const photo of processed) {
        const keys = photoKeys(instrumentId, randomUUID());
        written.push(keys.full, keys.thumb);
        await storage().save(keys.full, photo.full);
        await storage().save(keys.thumb, photo.thumb);
        urls.push(urlOfKey(keys.full));
      }
      await tx.update(instruments).set({ photos: [...row.photos, ...urls], updatedAt: new Date() }).where(eq(instruments.id, instrumentId));
      written.length = 0; // committed below: the files now belong to the row
      return { ok: true as const };
    });
  } finally {
    await Promise.all(written.map((key) => storage().remove(key)));
  }
}

export async function removePhoto(instrumentId: string, url: string): Promise<boolean> {
  const db = await getDb();
  const removed = await db.transaction(async (tx) => {
    const [row] = await tx.select({ photos: instruments.photos }).from(instruments).where(eq(instruments.id, instrumentId)).for("update").limit(1);
    if (!row || !row.photos.includes(url)) return false;
    await tx.update(instruments).set({ photos: row.photos.filter((p) => p !== url), updatedAt: new Date() }).where(eq(instruments.id, instrumentId));
    return true;
  });
  if (removed) {
    const keys = [keyOfUrl(url), keyOfUrl(thumbnailUrl(url))].filter((k): k is string => k !== null);
    try {
      await Promise.all([...new Set(keys)].map((key) => storage().remove(key)));
    } catch (error) {
      logger.warn({ err: error, url }, "photo removed from the record but its files could not be deleted");
    }
  }
  return removed;
}

/** Moves a photo one place earlier or later; the first photo is the cover. */
export async function movePhoto(instrumentId: string, url: string, direction: "up" | "down"): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ photos: instruments.photos }).from(instruments).where(eq(instruments.id, instrumentId)).for("update").limit(1);
    const from = row?.photos.indexOf(url) ?? -1;
    const to = direction === "up" ? from - 1 : from + 1;
    if (!row || from < 0 || to < 0 || to >= row.photos.length) return false;
    const photos = [...row.photos];
    [photos[from], photos[to]] = [photos[to], photos[from]];
    await tx.update(instruments).set({ photos, updatedAt: new Date() }).where(eq(instruments.id, instrumentId));
    return true;
  });
}

/**
 * A stored photo for the /uploads route: public (and cacheable by anyone) when its instrument is
 * public, visible to the people who manage the instrument otherwise, and null for anything else.
 */
export async function readPhoto(key: string, viewer: Viewer): Promise<{ body: Uint8Array<ArrayBuffer>; visibility: "public" | "private" } | null> {
  const parsed = parsePhotoKey(key);
  if (!parsed) return null;
  const db = await getDb();
  const [row] = await db
    .select({ status: instruments.status, labId: instruments.labId, organizationId: instruments.organizationId, providerStatus: organizations.providerStatus })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(organizations, eq(organizations.id, instruments.organizationId))
    .where(eq(instruments.id, parsed.instrumentId))
    .limit(1);
  if (!row) return null;
  const isPublic = row.status === "published" && row.providerStatus === "accepted";
  const mayView =
    isPublic ||
    can(viewer, "manage:instruments:lab", { labId: row.labId, labOrganizationId: row.organizationId }) ||
    can(viewer, "manage:organization:platform");
  if (!mayView) return null;
  const body = await storage().read(key);
  return body ? { body, visibility: isPublic ? "public" : "private" } : null;
}

/**
 * The photo page's form: multipart with files when uploading (each part capped at the photo limit
 * while it streams in), urlencoded for the other buttons. Empty file inputs are dropped.
 */
export async function readPhotoForm(request: Request): Promise<{ form: FormData; files: Uint8Array[] } | { tooLarge: true }> {
  const type = request.headers.get("Content-Type") ?? "";
  let form: FormData;
  if (type.startsWith("multipart/form-data")) {
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }));
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return { tooLarge: true };
      throw error;
    }
  } else {
    form = await formOf(request);
  }
  const files = await Promise.all(
    form
      .getAll("photo")
      .filter((v): v is File => typeof v !== "string" && !(v.size === 0 && v.name === ""))
      .map(async (f) => new Uint8Array(await f.arrayBuffer())),
  );
  return { form, files };
}
