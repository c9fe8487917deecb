import { creditCodeCheckCharacter, organizationCodeCheckCharacter } from "../../app/accounts/credit-code";
import type { MembershipRole, OrganizationType } from "../schema";

/** The one password of every demo account (printed in the README and used by e2e tests). */
export const DEMO_PASSWORD = "OpenLab-demo-2026";

/**
 * A fictional but well-formed credit code: registration authority + entity type, the 6-digit
 * region code, an 8-digit organisation code base with its GB 11714 check, then the GB 32100 check.
 */
export function makeCreditCode(authorityAndType: string, regionCode: string, orgBase: number): string {
  const base = String(orgBase).padStart(8, "0");
  const first17 = authorityAndType + regionCode + base + organizationCodeCheckCharacter(base);
  return first17 + creditCodeCheckCharacter(first17);
}

export interface OrganizationSeed {
  slug: string;
  nameZh: string;
  nameEn: string;
  type: OrganizationType;
  isSme: boolean;
  regionCode: string;
  address: string;
  website: string;
  creditCode: string;
  provider: boolean;
}

// "12" = public institution (事业单位), "91" = company, "11" = government body.
export const demoOrganizations: OrganizationSeed[] = [
  {
    slug: "zju",
    nameZh: "浙江大学",
    nameEn: "Zhejiang University",
    type: "university",
    isSme: false,
    regionCode: "330106",
    address: "浙江省杭州市西湖区余杭塘路866号",
    website: "https://www.zju.edu.cn",
    creditCode: makeCreditCode("12", "330000", 47000001),
    provider: true,
  },
  {
    slug: "iccas",
    nameZh: "中国科学院化学研究所",
    nameEn: "Institute of Chemistry, Chinese Academy of Sciences",
    type: "institute",
    isSme: false,
    regionCode: "110108",
    address: "北京市海淀区中关村北一街2号",
    website: "https://www.iccas.ac.cn",
    creditCode: makeCreditCode("12", "100000", 40000112),
    provider: true,
  },
  {
    slug: "nanoctr",
    nameZh: "国家纳米科学中心",
    nameEn: "National Center for Nanoscience and Technology",
    type: "national_centre",
    isSme: false,
    regionCode: "110108",
    address: "北京市海淀区中关村北一条11号",
    website: "https://www.nanoctr.cn",
    creditCode: makeCreditCode("12", "100000", 71783327),
    provider: true,
  },
  {
    slug: "weina",
    nameZh: "杭州微纳科技有限公司",
    nameEn: "Hangzhou Weina Technology Co., Ltd.",
    type: "enterprise",
    isSme: true,
    regionCode: "330108",
    address: "浙江省杭州市滨江区江南大道3888号",
    website: "https://weina.example.cn",
    creditCode: makeCreditCode("91", "330108", 52301876),
    provider: false,
  },
  {
    slug: "huadong",
    nameZh: "华东新材料集团有限公司",
    nameEn: "East China New Materials Group Co., Ltd.",
    type: "enterprise",
    isSme: false,
    regionCode: "310115",
    address: "上海市浦东新区张江路1000号",
    website: "https://huadong-materials.example.cn",
    creditCode: makeCreditCode("91", "310115", 13220489),
    provider: false,
  },
  {
    slug: "ruice",
    nameZh: "南京瑞测检测技术有限公司",
    nameEn: "Nanjing Ruice Testing Technology Co., Ltd.",
    type: "enterprise",
    isSme: false,
    regionCode: "320115",
    address: "江苏省南京市江宁区秣陵街道胜太路58号",
    website: "https://ruice.example.cn",
    creditCode: makeCreditCode("91", "320115", 60914537),
    provider: false,
  },
  {
    slug: "zjkjt",
    nameZh: "浙江省科学技术厅",
    nameEn: "Department of Science and Technology of Zhejiang Province",
    type: "government",
    isSme: false,
    regionCode: "330106",
    address: "浙江省杭州市西湖区学院路77号",
    website: "https://kjt.zj.gov.cn",
    creditCode: makeCreditCode("11", "330000", 2494567),
    provider: false,
  },
  {
    slug: "hzkjj",
    nameZh: "杭州市科学技术局",
    nameEn: "Hangzhou Municipal Science and Technology Bureau",
    type: "government",
    isSme: false,
    regionCode: "330102",
    address: "浙江省杭州市上城区解放东路18号",
    website: "https://kj.hangzhou.gov.cn",
    creditCode: makeCreditCode("11", "330100", 2501234),
    provider: false,
  },
];

/** What a lab mainly runs; instrument templates are grouped the same way. */
export const labKinds = ["em", "nmr", "ms", "materials", "nanofab", "bio", "analysis"] as const;
export type LabKind = (typeof labKinds)[number];

export interface LabSeed {
  slug: string;
  orgSlug: string;
  kind: LabKind;
  nameZh: string;
  nameEn: string;
  address: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
}

export const demoLabs: LabSeed[] = [
  {
    slug: "zju-emlab",
    orgSlug: "zju",
    kind: "em",
    nameZh: "电子显微镜实验室",
    nameEn: "Electron Microscopy Lab",
    address: "浙江省杭州市西湖区余杭塘路866号 紫金港校区 化学实验楼B座101",
    contactName: "李明",
    contactPhone: "0571-87951234",
    contactEmail: "emlab@zju.openlab.test",
  },
  {
    slug: "zju-atc",
    orgSlug: "zju",
    kind: "analysis",
    nameZh: "分析测试中心",
    nameEn: "Analysis & Testing Center",
    address: "浙江省杭州市西湖区余杭塘路866号 紫金港校区 分析测试中心大楼",
    contactName: "王芳",
    contactPhone: "0571-87952468",
    contactEmail: "atc@zju.openlab.test",
  },
  {
    slug: "zju-bioimg",
    orgSlug: "zju",
    kind: "bio",
    nameZh: "生物成像平台",
    nameEn: "Bio-imaging Facility",
    address: "浙江省杭州市西湖区余杭塘路866号 紫金港校区 生命科学学院 C楼",
    contactName: "徐丽",
    contactPhone: "0571-88206612",
    contactEmail: "bioimaging@zju.openlab.test",
  },
  {
    slug: "iccas-nmr",
    orgSlug: "iccas",
    kind: "nmr",
    nameZh: "核磁共振平台",
    nameEn: "NMR Facility",
    address: "北京市海淀区中关村北一街2号 化学所1号楼",
    contactName: "孙涛",
    contactPhone: "010-62554321",
    contactEmail: "nmr@iccas.openlab.test",
  },
  {
    slug: "iccas-ms",
    orgSlug: "iccas",
    kind: "ms",
    nameZh: "质谱平台",
    nameEn: "Mass Spectrometry Facility",
    address: "北京市海淀区中关村北一街2号 化学所2号楼",
    contactName: "马骏",
    contactPhone: "010-62558765",
    contactEmail: "ms@iccas.openlab.test",
  },
  {
    slug: "nanoctr-matchar",
    orgSlug: "nanoctr",
    kind: "materials",
    nameZh: "材料表征平台",
    nameEn: "Materials Characterization Platform",
    address: "北京市海淀区中关村北一条11号 纳米中心南楼",
    contactName: "郭晨",
    contactPhone: "010-82545612",
    contactEmail: "characterization@nanoctr.openlab.test",
  },
  {
    slug: "nanoctr-nanofab",
    orgSlug: "nanoctr",
    kind: "nanofab",
    nameZh: "纳米加工平台",
    nameEn: "Nanofabrication Facility",
    address: "北京市海淀区中关村北一条11号 纳米中心北楼洁净间",
    contactName: "何磊",
    contactPhone: "010-82545789",
    contactEmail: "nanofab@nanoctr.openlab.test",
  },
];

export type DemoRole = MembershipRole | "platform_admin";

export interface DemoUser {
  email: string;
  role: DemoRole;
  displayNameZh: string;
  orgSlug?: string;
  labSlug?: string;
}

export const demoUsers: DemoUser[] = [
  { email: "admin@openlab.test", role: "platform_admin", displayNameZh: "平台管理员" },
  { email: "inst-admin@zju.openlab.test", role: "institution_admin", displayNameZh: "陈静", orgSlug: "zju" },
  { email: "staff@zju.openlab.test", role: "lab_staff", displayNameZh: "李明", orgSlug: "zju", labSlug: "zju-emlab" },
  { email: "customer@weina.openlab.test", role: "customer", displayNameZh: "张伟", orgSlug: "weina" },
  { email: "orgadmin@weina.openlab.test", role: "org_admin", displayNameZh: "刘洋", orgSlug: "weina" },
  { email: "customer@huadong.openlab.test", role: "customer", displayNameZh: "赵磊", orgSlug: "huadong" },
  { email: "customer@iccas.openlab.test", role: "customer", displayNameZh: "周婷", orgSlug: "iccas" },
  { email: "staff@iccas.openlab.test", role: "lab_staff", displayNameZh: "孙丽", orgSlug: "iccas", labSlug: "iccas-nmr" },
  // The voucher issuer's administrator: decides grant applications and records reimbursements.
  { email: "voucher-admin@zjkjt.openlab.test", role: "org_admin", displayNameZh: "王芳", orgSlug: "zjkjt" },
];

/** Abbreviation ↔ expansion pairs; stored both ways, Latin terms lower-cased. */
const synonymPairs: [string, string][] = [
  ["电镜", "电子显微镜"],
  ["SEM", "扫描电子显微镜"],
  ["SEM", "扫描电镜"],
  ["扫描电镜", "扫描电子显微镜"],
  ["TEM", "透射电子显微镜"],
  ["TEM", "透射电镜"],
  ["透射电镜", "透射电子显微镜"],
  ["NMR", "核磁共振"],
  ["核磁", "核磁共振"],
  ["XRD", "X射线衍射仪"],
  ["XRD", "X射线衍射"],
  ["ICP-MS", "电感耦合等离子体质谱"],
  ["ICP-OES", "电感耦合等离子体发射光谱"],
  ["GC-MS", "气相色谱-质谱"],
  ["LC-MS", "液相色谱-质谱"],
  ["HPLC", "高效液相色谱"],
  ["GC", "气相色谱"],
  ["CT", "计算机断层扫描"],
  ["CT", "显微CT"],
  ["XPS", "X射线光电子能谱"],
  ["AFM", "原子力显微镜"],
  ["FTIR", "傅里叶变换红外"],
  ["红外", "红外光谱"],
  ["质谱", "质谱仪"],
  ["冷冻电镜", "cryo-EM"],
  ["冷冻电镜", "冷冻透射电子显微镜"],
  ["FIB", "聚焦离子束"],
  ["EPR", "电子顺磁共振"],
  ["ESR", "电子顺磁共振"],
  ["拉曼", "拉曼光谱"],
  ["Raman", "拉曼光谱"],
  ["BET", "比表面积"],
  ["TGA", "热重分析"],
  ["DSC", "差示扫描量热"],
  ["共聚焦", "激光共聚焦显微镜"],
  ["流式", "流式细胞仪"],
  ["测序", "高通量测序"],
  ["PCR", "聚合酶链式反应"],
  ["MALDI-TOF", "基质辅助激光解吸电离飞行时间质谱"],
  ["UV-Vis", "紫外可见分光光度计"],
  ["EDS", "能谱仪"],
  ["PPMS", "综合物性测量系统"],
];

const normalizeTerm = (term: string) => term.toLowerCase();

export const searchSynonymRows: { term: string; expansion: string }[] = (() => {
  const seen = new Map<string, { term: string; expansion: string }>();
  for (const [a, b] of synonymPairs) {
    for (const [term, expansion] of [
      [a, b],
      [b, a],
    ]) {
      const row = { term: normalizeTerm(term), expansion: normalizeTerm(expansion) };
      seen.set(`${row.term}\u0000${row.expansion}`, row);
    }
  }
  return [...seen.values()];
})();
