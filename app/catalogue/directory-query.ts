import { z } from "zod";
import { accreditationKinds } from "../../db/schema/trust-vocabulary";
import { organizationTypes, serviceModes } from "../../db/schema/vocabulary";
import { MAX_QUERY_LENGTH, sortOptions, type DirectoryQuery } from "./search";

const list = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(20));

/** The whole directory query lives in the URL, so results can be shared and bookmarked. */
export const directoryQuerySchema = z.object({
  q: z.string().trim().max(MAX_QUERY_LENGTH).optional().catch(undefined),
  category: list(z.string().regex(/^\d{2}(\d{2}){0,2}$/)).catch([]),
  region: list(z.string().regex(/^\d{2}$/)).catch([]),
  orgType: list(z.enum(organizationTypes)).catch([]),
  org: list(z.string().regex(/^[a-z0-9-]{1,80}$/)).catch([]),
  mode: list(z.enum(serviceModes)).catch([]),
  accreditation: list(z.enum(accreditationKinds)).catch([]),
  sort: z.enum(sortOptions).optional().catch(undefined),
  from: z.string().max(40).optional().catch(undefined),
  to: z.string().max(40).optional().catch(undefined),
  hours: z.string().max(20).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(500).catch(1).default(1),
});

/** Bad parameters fall back to their defaults: a shared link never fails. */
export function readDirectoryQuery(params: URLSearchParams): DirectoryQuery {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).filter((v) => v !== "");
    if (values.length > 0) raw[key] = values.length > 1 ? values : values[0];
  }
  return directoryQuerySchema.parse(raw);
}

