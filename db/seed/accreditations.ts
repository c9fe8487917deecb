// Demo accreditations (CMA / CNAS on demo labs, one ISO/IEC 17025 on an instrument), so badges
// show on results and lab pages from the first start. The demo lab zju-emlab has none: its staff
// add one themselves in the guide's walkthrough.
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../app/lib/db.server";
import { accreditations, instruments, labs } from "../schema";

export interface SeedFile {
  key: string;
  bytes: Uint8Array;
}

const plans = [
  { lab: "zju-atc", kind: "cma", number: "201911005123", issuer: "浙江省市场监督管理局", scope: "材料成分与结构分析（见证书附表）" },
  { lab: "zju-atc", kind: "cnas", number: "CNAS L5123", issuer: "中国合格评定国家认可委员会", scope: "化学分析、材料物理性能检测" },
  { lab: "iccas-ms", kind: "cnas", number: "CNAS L0876", issuer: "中国合格评定国家认可委员会", scope: "有机化合物质谱分析" },
  { lab: "nanoctr-matchar", kind: "cma", number: "201801234567", issuer: "北京市市场监督管理局", scope: "纳米材料表征" },
  { lab: "iccas-nmr", kind: "iso17025", number: "ISO17025-NMR-2024-018", issuer: "中国合格评定国家认可委员会", scope: "核磁共振波谱定量分析", instrument: true },
] as const;

/** A one-page PDF naming the certificate: enough for the download link to open something real. */
export function demoCertificatePdf(title: string): Uint8Array {
  const text = title.replace(/[^\x20-\x7e]/g, "").replace(/[()\\]/g, "");
  const stream = `BT /F1 18 Tf 72 720 Td (OpenLab demo certificate) Tj 0 -28 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** Inserts the demo accreditations, valid from a year ago for five years; returns their certificate files. */
export async function seedDemoAccreditations(tx: Tx, now: Date): Promise<SeedFile[]> {
  const labRows = await tx.select({ id: labs.id, slug: labs.slug }).from(labs).where(inArray(labs.slug, [...new Set(plans.map((p) => p.lab))]));
  const labIds = new Map(labRows.map((l) => [l.slug, l.id]));
  const day = (years: number) => new Date(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const files: SeedFile[] = [];
  for (const plan of plans) {
    const labId = labIds.get(plan.lab);
    if (!labId) continue;
    const [instrument] =
      "instrument" in plan
        ? await tx.select({ id: instruments.id }).from(instruments).where(and(eq(instruments.labId, labId), eq(instruments.status, "published"))).orderBy(asc(instruments.slug)).limit(1)
        : [null];
    const id = randomUUID();
    const key = `accreditations/${id}.pdf`;
    await tx.insert(accreditations).values({
      id,
      labId,
      instrumentId: instrument?.id ?? null,
      kind: plan.kind,
      certificateNumber: plan.number,
      issuer: plan.issuer,
      scope: plan.scope,
      validFrom: day(-1),
      validTo: day(4),
      certificateFileKey: key,
      certificateFileName: `${plan.number}.pdf`,
      createdAt: now,
    });
    files.push({ key, bytes: demoCertificatePdf(plan.number) });
  }
  return files;
}
