// The accreditation form's schema, apart from accreditation.ts so that pages showing badges do not
// load zod in the browser.
import { z } from "zod";
import { accreditationKinds, realDay } from "./accreditation";

const day = z.string({ message: "validation.required" }).trim().min(1, "validation.required").refine(realDay, "accreditation:validation.date");

export const accreditationFormSchema = z
  .object({
    kind: z.enum(accreditationKinds, { message: "validation.choice" }),
    certificateNumber: z.string({ message: "validation.required" }).trim().min(1, "validation.required").max(80, "validation.tooBig"),
    issuer: z.string({ message: "validation.required" }).trim().min(1, "validation.required").max(200, "validation.tooBig"),
    scope: z.string().trim().max(2000, "validation.tooBig").optional().default(""),
    validFrom: day,
    validTo: day,
  })
  .refine((f) => f.validTo >= f.validFrom, { path: ["validTo"], message: "accreditation:validation.endBeforeStart" });
export type AccreditationForm = z.infer<typeof accreditationFormSchema>;
