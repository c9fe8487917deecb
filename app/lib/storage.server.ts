import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "./env.server";

/**
 * Uploaded files (instrument photos, application letters …) behind one small interface, so an
 * object store (S3, OSS, MinIO) can replace the local directory without touching the callers.
 * Keys are relative paths of plain segments, e.g. "instruments/<id>/<uuid>.webp".
 */
export interface FileStorage {
  save(key: string, body: Uint8Array): Promise<void>;
  /** The file's bytes, or null when there is no such file. */
  read(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Removing a file that is not there is not an error. */
  remove(key: string): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** Plain segments only: no "..", no absolute paths, no hidden files, nothing a path could escape with. */
export function isValidKey(key: string): boolean {
  const parts = key.split("/");
  return parts.length <= 8 && parts.every((p) => SEGMENT.test(p) && !p.includes(".."));
}

function checkKey(key: string) {
  if (!isValidKey(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}

const contentTypes: Record<string, string> = {
  ".webp": "image/webp",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".pdf": "application/pdf",
  ".csv": "text/csv; charset=utf-8",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** Files are written by the app under names it chose, so the extension tells the type. */
export function contentTypeOf(key: string): string {
  return contentTypes[path.extname(key).toLowerCase()] ?? "application/octet-stream";
}

/** A directory on local disk (default `${DATA_DIR}/uploads`). */
export class DiskStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string) {
    checkKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async save(key: string, body: Uint8Array) {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed, so a reader never sees half a file.
    const temporary = `${target}.${randomUUID()}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, target);
  }

  async read(key: string): Promise<Uint8Array<ArrayBuffer> | null> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async remove(key: string) {
    await rm(this.pathOf(key), { force: true });
  }
}

let instance: FileStorage | undefined;

export function storage(): FileStorage {
  instance ??= new DiskStorage(path.join(env().DATA_DIR, "uploads"));
  return instance;
}
