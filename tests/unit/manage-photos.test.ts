import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { MAX_PHOTO_BYTES, processPhoto } from "../../app/catalogue/photos.server";

const image = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 160 } } });

describe("photo checks and resizing", () => {
  it.each([
    ["png", () => image(2400, 1200).png().toBuffer()],
    ["jpeg", () => image(2400, 1200).jpeg().toBuffer()],
    ["webp", () => image(2400, 1200).webp().toBuffer()],
  ])("accepts %s and stores a 1600 px webp with a 400 px thumbnail", async (_name, make) => {
    const result = await processPhoto(await make());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const full = await sharp(result.photo.full).metadata();
    const thumb = await sharp(result.photo.thumb).metadata();
    expect([full.format, full.width, full.height]).toEqual(["webp", 1600, 800]);
    expect([thumb.format, thumb.width, thumb.height]).toEqual(["webp", 400, 200]);
  });

  it("never enlarges a small photo", async () => {
    const result = await processPhoto(await image(300, 500).png().toBuffer());
    expect(result.ok && [result.photo.width, result.photo.height]).toEqual([300, 500]);
  });

  it("decides the type by content: a GIF, an SVG, text or a PDF named .png is not a photo", async () => {
    const gif = await image(20, 20).gif().toBuffer();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    for (const bytes of [gif, svg, Buffer.from("just some text, not an image"), Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj\n")]) {
      expect(await processPhoto(bytes)).toEqual({ ok: false, error: "manage:photos.errors.notImage" });
    }
  });

  it("refuses a truncated file as corrupt", async () => {
    const png = await image(800, 600).png({ compressionLevel: 0 }).toBuffer();
    expect(await processPhoto(png.subarray(0, Math.floor(png.length / 2)))).toEqual({ ok: false, error: "manage:photos.errors.corrupt" });
  });

  it("refuses files over 10 MB and empty files before decoding them", async () => {
    expect(await processPhoto(new Uint8Array(MAX_PHOTO_BYTES + 1))).toEqual({ ok: false, error: "manage:photos.errors.tooLarge" });
    expect(await processPhoto(new Uint8Array(0))).toEqual({ ok: false, error: "manage:photos.errors.empty" });
  });

  it("drops EXIF data such as a GPS position", async () => {
    const withExif = await image(100, 100).jpeg().withExif({ IFD0: { Copyright: "secret-lab" } }).toBuffer();
    expect((await sharp(withExif).metadata()).exif).toBeDefined();
    const result = await processPhoto(withExif);
    expect(result.ok && (await sharp(result.photo.full).metadata()).exif).toBeUndefined();
  });
});
