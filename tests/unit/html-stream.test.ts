import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { htmlStream } from "~/lib/html-stream.server";

/** The HTML that comes out when `chunks` go in, one after another. */
async function through(chunks: Buffer[]): Promise<string> {
  return text(Readable.from(chunks).pipe(htmlStream()));
}

const page =
  '<!DOCTYPE html><html lang="zh"><body><p>电子显微镜</p><link rel="modulepreload" href="/assets/entry.client.js"/>' +
  '<link rel="modulepreload" href="/assets/root.js"/><script type="module" async="">import "/assets/entry.client.js";</script></body></html>';
const expected = page.replaceAll('<link rel="modulepreload"', '<link rel="modulepreload" fetchpriority="low"');

describe("htmlStream", () => {
  it("fetches every module preload at low priority and leaves the rest of the page as it was", async () => {
    expect(await through([Buffer.from(page)])).toBe(expected);
  });

  it("finds a preload tag split across chunks wherever the split falls, Chinese text included", async () => {
    const bytes = Buffer.from(page);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = at.slice(1).map((end, i) => bytes.subarray(at[i], end));
        expect(await through(chunks)).toBe(expected);
      }),
    );
  });

  it("drops the NUL bytes React pads a chunk with", async () => {
    const padded = Buffer.concat([Buffer.from("<p>仪器"), Buffer.alloc(3), Buffer.from("共享</p>")]);
    expect(await through([padded])).toBe("<p>仪器共享</p>");
  });
});
