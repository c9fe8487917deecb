/**
 * Chinese has no spaces between words, so text is cut into words here (ICU via Intl.Segmenter)
 * and stored space-joined; Postgres' `simple` configuration then indexes those words as-is.
 */
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

export function segmentWords(text: string): string[] {
  const words: string[] = [];
  for (const part of segmenter.segment(text)) {
    if (part.isWordLike) words.push(part.segment.toLowerCase());
  }
  return words;
}

/** A model number as typed in many ways: "JEM-2100F" → jem-2100f, jem2100f, jem, 2100f. */
export function modelTerms(model: string): string[] {
  const lower = model.trim().toLowerCase();
  if (!lower) return [];
  const compact = lower.replace(/[\s\-_/.]+/g, "");
  const terms = [compact, ...segmentWords(lower)];
  return [...new Set(terms)];
}

export interface SearchFields {
  nameZh: string;
  nameEn: string;
  model: string;
  manufacturer: string;
  mainFunctions: string;
  specifications: string;
  serviceContent: string;
}

/** Weighted documents: a = names, b = model and manufacturer, c = functions, specs, service. */
export function searchDocument(fields: SearchFields): { a: string; b: string; c: string } {
  const join = (...texts: string[]) => segmentWords(texts.join(" ")).join(" ");
  return {
    a: join(fields.nameZh, fields.nameEn),
    b: [...modelTerms(fields.model), ...segmentWords(fields.manufacturer)].join(" "),
    c: join(fields.mainFunctions, fields.specifications, fields.serviceContent),
  };
}
