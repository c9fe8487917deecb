// Uploaded PDFs (application letters, sample-job reports) are judged by their bytes and size,
// never by the name or the type the browser declares.

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

export type PdfProblem = "missing" | "too_big" | "not_pdf";

export function pdfProblem(bytes: Uint8Array | null, maxBytes: number): PdfProblem | null {
  if (!bytes || bytes.length === 0) return "missing";
  if (bytes.length > maxBytes) return "too_big";
  if (!PDF_MAGIC.every((b, i) => bytes[i] === b)) return "not_pdf";
  return null;
}

export type PdfUpload = { ok: true; bytes: Uint8Array; fileName: string } | { ok: false; problem: PdfProblem };

/** Reads a form's file field: the size is known before reading, so only a file within the limit is read. */
export async function readPdfUpload(file: Blob | null, maxBytes: number): Promise<PdfUpload> {
  if (file && file.size > maxBytes) return { ok: false, problem: "too_big" };
  const bytes = file && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
  const problem = pdfProblem(bytes, maxBytes);
  if (problem || !bytes) return { ok: false, problem: problem ?? "missing" };
  // Only the last path segment of the name the browser sent, for display.
  const fileName = file instanceof File ? (file.name.split(/[\\/]/).pop() ?? "") : "";
  return { ok: true, bytes, fileName };
}
