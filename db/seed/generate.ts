/** Pure generation of demo and bulk catalogue data; no database access, so it is unit-tested. */
import type { InstrumentStatus, OrganizationType, ServiceMode } from "../schema";
import { demoLabs, makeCreditCode, type LabKind, type LabSeed, type OrganizationSeed } from "./data";
import { createRandom, hashSeed, type Random } from "./random";
import { provinces, type Province } from "./regions";
import { feeText, instrumentTemplates, type InstrumentTemplate } from "./templates";

export const DEFAULT_SEED = 20260101;
export const INSTRUMENTS_PER_EXTRA_LAB = 40;
export const LABS_PER_EXTRA_ORG = 4;

export interface InstrumentPlan {
  slug: string;
  labSlug: string;
  orgSlug: string;
  templateKey: string;
  nameZh: string;
  nameEn: string;
  model: string;
  manufacturer: string;
  countryOfOrigin: string;
  categoryCode: string;
  originalValueFen: number;
  purchaseDate: string;
  commissioningDate: string;
  fundingSource: string;
  specifications: string;
  mainFunctions: string;
  serviceContent: string;
  sampleRequirements: string;
  serviceModes: ServiceMode[];
  feeText: string;
  operatingStatus: string;
  status: InstrumentStatus;
  suspensionReason: string | null;
  /** Days before `now` the record was created; published records went live two days later. */
  createdDaysAgo: number;
}

const fundingSources = [
  "中央高校改善基本办学条件专项",
  "国家自然科学基金国家重大科研仪器研制项目",
  "中国科学院修缮购置专项",
  "国家重点研发计划",
  "地方财政科技专项",
  "学科建设经费",
  "双一流建设专项经费",
];

const labKindNames: Record<LabKind, { key: string; zh: string; en: string }> = {
  em: { key: "emlab", zh: "电子显微镜实验室", en: "Electron Microscopy Lab" },
  nmr: { key: "nmr", zh: "核磁共振平台", en: "NMR Facility" },
  ms: { key: "ms", zh: "质谱平台", en: "Mass Spectrometry Facility" },
  materials: { key: "matchar", zh: "材料表征平台", en: "Materials Characterization Platform" },
  nanofab: { key: "nanofab", zh: "纳米加工平台", en: "Nanofabrication Facility" },
  bio: { key: "bioimg", zh: "生物成像平台", en: "Bio-imaging Facility" },
  analysis: { key: "atc", zh: "分析测试中心", en: "Analysis & Testing Center" },
};

const demoDrafts = new Set(["dektak-xt", "gc7980"]);
const demoSuspended = new Map([["em6900", "仪器信息与实际状态不符（设备已长期停机），待机构核实后恢复"]]);

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

function purchaseDates(rng: Random, fromYear: number): { purchaseDate: string; commissioningDate: string } {
  const purchase = new Date(Date.UTC(rng.int(fromYear, 2025), rng.int(0, 11), rng.int(1, 28)));
  const commissioning = new Date(purchase.getTime() + rng.int(20, 120) * 86_400_000);
  return { purchaseDate: isoDate(purchase), commissioningDate: isoDate(commissioning) };
}

const slugPart = (text: string) =>
  text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");

type TemplateFields = Pick<
  InstrumentPlan,
  | "templateKey" | "nameZh" | "nameEn" | "model" | "manufacturer" | "countryOfOrigin" | "categoryCode"
  | "originalValueFen" | "specifications" | "mainFunctions" | "serviceContent" | "sampleRequirements"
  | "serviceModes" | "feeText"
>;

function fromTemplate(t: InstrumentTemplate): TemplateFields {
  return {
    templateKey: t.key,
    nameZh: t.nameZh,
    nameEn: t.nameEn,
    model: t.model,
    manufacturer: t.manufacturer,
    countryOfOrigin: t.country,
    categoryCode: t.category,
    originalValueFen: t.valueWan * 1_000_000,
    specifications: t.specs,
    mainFunctions: t.functions,
    serviceContent: t.service,
    sampleRequirements: t.samples,
    serviceModes: [...t.modes],
    feeText: feeText(t.fee),
  };
}

/** One instrument per template, in the demo lab that runs that kind of instrument. */
export function demoInstrumentPlans(seed = DEFAULT_SEED): InstrumentPlan[] {
  const rng = createRandom(hashSeed(seed, "demo"));
  return instrumentTemplates.map((t) => {
    const lab = demoLabs.find((l) => l.kind === t.kind);
    if (!lab) throw new Error(`no demo lab runs ${t.kind} instruments`);
    const status: InstrumentStatus = demoDrafts.has(t.key) ? "draft" : demoSuspended.has(t.key) ? "suspended" : "published";
    return {
      ...fromTemplate(t),
      slug: `${t.key}-${lab.slug}`,
      labSlug: lab.slug,
      orgSlug: lab.orgSlug,
      ...purchaseDates(rng, 2012),
      fundingSource: rng.pick(fundingSources),
      operatingStatus: status === "suspended" ? "awaiting_repair" : "normal",
      status,
      suspensionReason: demoSuspended.get(t.key) ?? null,
      createdDaysAgo: rng.int(60, 720),
    };
  });
}

const orgKinds: { key: string; type: OrganizationType; zh: (p: Province) => string; en: (p: Province) => string }[] = [
  { key: "ust", type: "university", zh: (p) => `${p.short}科技大学`, en: (p) => `${p.en} University of Science and Technology` },
  { key: "tech", type: "university", zh: (p) => `${p.short}理工大学`, en: (p) => `${p.en} University of Technology` },
  { key: "cas", type: "institute", zh: (p) => `中国科学院${p.city}材料研究所`, en: (p) => `${p.cityEn} Institute of Materials, CAS` },
  { key: "normal", type: "university", zh: (p) => `${p.short}师范大学`, en: (p) => `${p.en} Normal University` },
  { key: "atri", type: "institute", zh: (p) => `${p.short}分析测试研究院`, en: (p) => `${p.en} Academy of Analysis and Testing` },
  { key: "med", type: "university", zh: (p) => `${p.short}医科大学`, en: (p) => `${p.en} Medical University` },
  { key: "nsc", type: "national_centre", zh: (p) => `国家仪器共享中心${p.short}分中心`, en: (p) => `National Instrument Sharing Center, ${p.en} Branch` },
];

const roads = ["学府路", "科技路", "创新大道", "文汇路", "高新大道", "大学城路", "科学城路", "研究院路"];
const surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"];
const givenNames = ["伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "婷", "浩"];

/** Provider organisations for bulk data, cycling through provinces then kinds of institution. */
export function extraOrganization(index: number): OrganizationSeed {
  const province = provinces[index % provinces.length];
  const kind = orgKinds[Math.floor(index / provinces.length) % orgKinds.length];
  const round = Math.floor(index / (provinces.length * orgKinds.length));
  const rng = createRandom(hashSeed(DEFAULT_SEED, "org", index));
  const slug = `${province.pinyin}-${kind.key}${round > 0 ? `-${round + 1}` : ""}`;
  return {
    slug,
    nameZh: kind.zh(province) + (round > 0 ? `（第${round + 1}园区）` : ""),
    nameEn: kind.en(province) + (round > 0 ? ` (Campus ${round + 1})` : ""),
    type: kind.type,
    isSme: false,
    regionCode: province.regionCode,
    address: `${province.addressPrefix}${rng.pick(roads)}${rng.int(1, 999)}号`,
    website: `https://${slug}.example.edu.cn`,
    creditCode: makeCreditCode("12", province.regionCode, 60_000_000 + index),
    provider: true,
  };
}

const otherKinds = (Object.keys(labKindNames) as LabKind[]).filter((k) => k !== "analysis");

/** Every bulk organisation has an analysis centre plus three specialised labs, rotated. */
export function extraLab(labIndex: number): LabSeed {
  const orgIndex = Math.floor(labIndex / LABS_PER_EXTRA_ORG);
  const position = labIndex % LABS_PER_EXTRA_ORG;
  const org = extraOrganization(orgIndex);
  const province = provinces[orgIndex % provinces.length];
  const kind: LabKind = position === 0 ? "analysis" : otherKinds[(orgIndex * 3 + position - 1) % otherKinds.length];
  const names = labKindNames[kind];
  const rng = createRandom(hashSeed(DEFAULT_SEED, "lab", labIndex));
  return {
    slug: `${org.slug}-${names.key}`,
    orgSlug: org.slug,
    kind,
    nameZh: names.zh,
    nameEn: names.en,
    address: `${org.address} 实验楼${rng.int(1, 12)}号楼`,
    contactName: rng.pick(surnames) + rng.pick(givenNames) + (rng.chance(0.5) ? rng.pick(givenNames) : ""),
    contactPhone: `${province.phoneArea}-${rng.int(8000_0000, 8999_9999)}`,
    contactEmail: `${names.key}@${org.slug}.openlab.test`,
  };
}

const templatesByKind = new Map<LabKind, InstrumentTemplate[]>();
for (const t of instrumentTemplates) templatesByKind.set(t.kind, [...(templatesByKind.get(t.kind) ?? []), t]);

function extraStatus(rng: Random): { status: InstrumentStatus; suspensionReason: string | null } {
  const r = rng.next();
  if (r < 0.95) return { status: "published", suspensionReason: null };
  if (r < 0.98) return { status: "draft", suspensionReason: null };
  if (r < 0.99) return { status: "suspended", suspensionReason: "用户投诉收费与公示标准不符，平台核查中" };
  return { status: "retired", suspensionReason: null };
}

function extraOperatingStatus(rng: Random): string {
  const r = rng.next();
  if (r < 0.9) return "normal";
  if (r < 0.95) return "standby";
  if (r < 0.99) return "occasional_fault";
  return "awaiting_repair";
}

/**
 * Bulk instrument number `index` (0-based, after the demo ones). Each is derived from its own
 * index alone, so adding more later continues the same sequence.
 */
export function extraInstrumentPlan(index: number, seed = DEFAULT_SEED): InstrumentPlan {
  return planInLab(index, seed, extraLab(Math.floor(index / INSTRUMENTS_PER_EXTRA_LAB)));
}

function planInLab(index: number, seed: number, lab: LabSeed): InstrumentPlan {
  const rng = createRandom(hashSeed(seed, "instrument", index));
  const t = rng.pick(lab.kind === "analysis" ? instrumentTemplates : templatesByKind.get(lab.kind)!);
  const model = rng.pick([t.model, ...(t.altModels ?? [])]);
  const dropped = t.modes.length > 1 && rng.chance(0.3) ? rng.pick(t.modes) : null;
  const priceFactor = rng.pick([0.8, 1, 1, 1.2, 1.5]);
  const roundPrice = (yuan: number) => Math.max(10, Math.round((yuan * priceFactor) / 10) * 10);
  return {
    ...fromTemplate(t),
    model,
    slug: `${model === t.model ? t.key : slugPart(model)}-${lab.slug}-${index}`,
    labSlug: lab.slug,
    orgSlug: lab.orgSlug,
    originalValueFen: Math.round(t.valueWan * (0.75 + rng.next() / 2) * 100) * 10_000,
    serviceModes: t.modes.filter((m) => m !== dropped),
    feeText: feeText([roundPrice(t.fee[0]), roundPrice(t.fee[1]), t.fee[2]]),
    ...purchaseDates(rng, 2005),
    fundingSource: rng.pick(fundingSources),
    operatingStatus: extraOperatingStatus(rng),
    ...extraStatus(rng),
    createdDaysAgo: rng.int(30, 1500),
  };
}

export function extraInstrumentPlans(start: number, count: number, seed = DEFAULT_SEED): InstrumentPlan[] {
  // Consecutive instruments share a lab; describe each lab once.
  const labs = new Map<number, LabSeed>();
  return Array.from({ length: count }, (_, i) => {
    const labIndex = Math.floor((start + i) / INSTRUMENTS_PER_EXTRA_LAB);
    let lab = labs.get(labIndex);
    if (!lab) labs.set(labIndex, (lab = extraLab(labIndex)));
    return planInLab(start + i, seed, lab);
  });
}
