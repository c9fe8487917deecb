import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { keyOfUrl, parsePhotoKey, photoKeys, thumbnailUrl, urlOfKey } from "../../app/catalogue/photo-urls";
import { contentTypeOf, DiskStorage, isValidKey } from "../../app/lib/storage.server";

const instrumentId = "3f2b8c1e-5d4a-4b7e-9c1d-2a3b4c5d6e7f";
const photoId = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

describe("photo URLs", () => {
  it("keeps the full photo and its thumbnail side by side", () => {
    const keys = photoKeys(instrumentId, photoId);
    expect(keys.full).toBe(`instruments/${instrumentId}/${photoId}.webp`);
    expect(thumbnailUrl(urlOfKey(keys.full))).toBe(urlOfKey(keys.thumb));
    expect(keyOfUrl(urlOfKey(keys.full))).toBe(keys.full);
  });

  it("leaves other URLs alone", () => {
    expect(thumbnailUrl("https://example.org/a.webp")).toBe("https://example.org/a.webp");
    expect(thumbnailUrl(`/uploads/instruments/${instrumentId}/${photoId}-thumb.webp`)).toBe(`/uploads/instruments/${instrumentId}/${photoId}-thumb.webp`);
    expect(keyOfUrl("/images/x.png")).toBeNull();
  });

  it("recognises only photo keys", () => {
    expect(parsePhotoKey(`instruments/${instrumentId}/${photoId}.webp`)).toEqual({ instrumentId, photoId, thumb: false });
    expect(parsePhotoKey(`instruments/${instrumentId}/${photoId}-thumb.webp`)).toEqual({ instrumentId, photoId, thumb: true });
    for (const bad of [
      `letters/${instrumentId}/${photoId}.pdf`,
      `instruments/${instrumentId}/../${photoId}.webp`,
      `instruments/${instrumentId}/${photoId}.png`,
      `instruments/not-a-uuid/${photoId}.webp`,
      `/instruments/${instrumentId}/${photoId}.webp`,
    ]) {
      expect(parsePhotoKey(bad), bad).toBeNull();
    }
  });
});

describe("disk storage", () => {
  it("refuses keys that could leave the uploads directory", () => {
    for (const bad of ["../etc/passwd", "a/../../b", "/abs", "a//b", ".hidden", "a/b\\c", "", "a/\u0000"]) {
      expect(isValidKey(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(isValidKey(`instruments/${instrumentId}/${photoId}.webp`)).toBe(true);
  });

  it("saves, reads and removes a file, leaving no temporary file behind", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "openlab-storage-"));
    const store = new DiskStorage(root);
    const key = `instruments/${instrumentId}/${photoId}.webp`;
    expect(await store.read(key)).toBeNull();
    await store.save(key, new Uint8Array([1, 2, 3]));
    expect([...(await store.read(key))!]).toEqual([1, 2, 3]);
    expect(readdirSync(path.join(root, "instruments", instrumentId))).toEqual([`${photoId}.webp`]);
    await store.remove(key);
    await store.remove(key); // a second removal is not an error
    expect(await store.read(key)).toBeNull();
    await expect(store.save("../escape.txt", new Uint8Array([1]))).rejects.toThrow(/invalid storage key/);
  });

  it("names the content type from the extension the app chose", () => {
    expect(contentTypeOf("a/b.webp")).toBe("image/webp");
    expect(contentTypeOf("a/b.PDF")).toBe("application/pdf");
    expect(contentTypeOf("a/b")).toBe("application/octet-stream");
  });
});
