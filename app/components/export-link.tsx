import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "~/lib/format";
import { useLocale } from "~/root";

interface Progress {
  bytes: number;
  rows: number;
  total: number | null;
}

const NEWLINE = 10;

function filenameOf(disposition: string | null, fallback: string) {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1] ?? fallback;
}

/**
 * A download link for a streamed export. Without JavaScript it is a plain link; with it, the file
 * is read as it streams and the rows (CSV) or bytes (XLSX) received so far are shown, because a
 * large platform-wide export takes a while and the browser alone shows no total.
 */
export function ExportLink(props: { href: string; children: React.ReactNode }) {
  const { t } = useTranslation("reporting");
  const locale = useLocale();
  const [progress, setProgress] = useState<Progress | null>(null);

  async function download(event: React.MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (progress) return;
    setProgress({ bytes: 0, rows: 0, total: null });
    try {
      const response = await fetch(props.href);
      if (!response.ok || !response.body) {
        window.location.assign(props.href);
        return;
      }
      const total = Number(response.headers.get("X-Export-Rows")) || null;
      const csv = (response.headers.get("Content-Type") ?? "").startsWith("text/csv");
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.length;
        if (csv) for (const b of value) if (b === NEWLINE) lines += 1;
        // The header line is not a row.
        setProgress({ bytes, rows: Math.max(0, lines - 1), total });
      }
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: response.headers.get("Content-Type") ?? undefined }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filenameOf(response.headers.get("Content-Disposition"), "export");
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } finally {
      setProgress(null);
    }
  }

  return (
    <>
      <a href={props.href} download onClick={download} aria-busy={progress ? true : undefined}>
        {props.children}
      </a>
      {progress ? (
        <span className="export-progress" role="status">
          {progress.total !== null && progress.rows > 0 ? (
            <>
              <progress value={Math.min(progress.rows, progress.total)} max={progress.total} />{" "}
              {t("export.progressRows", {
                done: formatNumber(Math.min(progress.rows, progress.total), locale),
                total: formatNumber(progress.total, locale),
              })}
            </>
          ) : (
            t("export.progressBytes", { size: formatNumber(progress.bytes / 1024, locale, 0) })
          )}
        </span>
      ) : null}
    </>
  );
}
