import { readFileSync } from "node:fs";
import path from "node:path";

export interface CategoryRow {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  level: number;
}

/** The classification list ships in the repository so a fresh machine can seed without ../shared. */
// Resolved from the project root: this module also runs inside the server bundle under build/.
export const categoriesCsvPath = path.resolve(process.cwd(), "db/seed/instrument-categories.csv");

/** The file has no quoted fields; a row with commas inside a name would fail loudly here. */
export function parseCategoriesCsv(text: string): CategoryRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = lines.shift();
  if (header !== "code,parent,name_zh,name_en") throw new Error(`unexpected categories header: ${header}`);
  return lines.map((line, i) => {
    const cells = line.split(",");
    if (cells.length !== 4 || !/^\d{2}(\d{2}){0,2}$/.test(cells[0])) {
      throw new Error(`bad categories row ${i + 2}: ${line}`);
    }
    const [code, parent, nameZh, nameEn] = cells;
    return { code, parentCode: parent || null, nameZh, nameEn, level: code.length / 2 };
  });
}

export function loadCategories(): CategoryRow[] {
  return parseCategoriesCsv(readFileSync(categoriesCsvPath, "utf8"));
}
