import { Transform } from "node:stream";

const MODULE_PRELOAD = Buffer.from('<link rel="modulepreload"');
const LOW_PRIORITY = Buffer.from(' fetchpriority="low"');

/**
 * The page's HTML on its way out:
 * - React 18.3's streaming renderer pads a 2 KiB chunk with NUL bytes when a multi-byte character
 *   (any Chinese text) does not fit at its end; HTML never needs NUL, so they are dropped.
 * - Module preloads are fetched at low priority. Every page is rendered on the server and works
 *   without its scripts (forms post, links navigate), so on a slow link the document and its images
 *   go first and the scripts that enhance it follow (decision 165).
 */
export function htmlStream() {
  // The bytes at a chunk's end that may begin a preload tag the next chunk completes.
  let held = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const text = Buffer.concat([held, chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk]);
      const keep = partialTagAtEnd(text);
      held = text.subarray(text.length - keep);
      done(null, withLowPriorityPreloads(text.subarray(0, text.length - keep)));
    },
    flush(done) {
      done(null, held);
    },
  });
}

/** How many bytes at the end of `text` are a proper prefix of the preload tag. */
function partialTagAtEnd(text: Buffer): number {
  for (let length = Math.min(MODULE_PRELOAD.length - 1, text.length); length > 0; length--) {
    if (text.subarray(text.length - length).equals(MODULE_PRELOAD.subarray(0, length))) return length;
  }
  return 0;
}

function withLowPriorityPreloads(text: Buffer): Buffer {
  const parts: Buffer[] = [];
  let copied = 0;
  for (let at = text.indexOf(MODULE_PRELOAD); at !== -1; at = text.indexOf(MODULE_PRELOAD, copied)) {
    const tagEnd = at + MODULE_PRELOAD.length;
    parts.push(text.subarray(copied, tagEnd), LOW_PRIORITY);
    copied = tagEnd;
  }
  return parts.length === 0 ? text : Buffer.concat([...parts, text.subarray(copied)]);
}
