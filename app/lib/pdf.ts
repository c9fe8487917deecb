// Uploaded PDFs (application letters, sample-job reports) are judged by their bytes and size,
// never by the name or the type the browser declares.

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

export type DocumentType = "application/pdf" | "image/png" | "image/jpeg";

/** A scanned document's type by its first bytes (PDF, PNG or JPEG); anything else is null. */
export function documentType(bytes: Uint8Array): DocumentType | null {
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(PDF_MAGIC)) return "application/pdf";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  return null;
}

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
