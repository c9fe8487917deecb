import type { ServiceMode } from "../schema";
import type { LabKind } from "./data";
import { templatesMicroscopyNmrMs } from "./templates-em-nmr-ms";
import { templatesMaterialsBioAnalysis } from "./templates-materials-bio";

export interface InstrumentTemplate {
  /** Slug stem, from the model. */
  key: string;
  kind: LabKind;
  nameZh: string;
  nameEn: string;
  model: string;
  /** Other models of the same family, used to vary generated instruments. */
  altModels?: string[];
  manufacturer: string;
  country: string;
  /** Code in instrument-categories.csv. */
  category: string;
  /** Original value in 万元 (10 000 yuan), as listed on the national platform. */
  valueWan: number;
  specs: string;
  functions: string;
  service: string;
  samples: string;
  modes: ServiceMode[];
  /** [internal, external] price in yuan, and the unit. */
  fee: [number, number, string];
}

export const instrumentTemplates: InstrumentTemplate[] = [
  ...templatesMicroscopyNmrMs,
  ...templatesMaterialsBioAnalysis,
];

export function feeText(fee: InstrumentTemplate["fee"]): string {
  const [internal, external, unit] = fee;
  return `校内 ${internal}元/${unit}；校外 ${external}元/${unit}`;
}
