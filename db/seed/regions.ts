/** One provincial-level region each, with a GB/T 2260 district code in its capital. */
export interface Province {
  pinyin: string;
  short: string;
  en: string;
  /** Capital city, short form, for institute names. */
  city: string;
  cityEn: string;
  regionCode: string;
  /** Province + city + district, the start of a postal address. */
  addressPrefix: string;
  phoneArea: string;
}

const p = (
  pinyin: string, short: string, en: string, city: string, cityEn: string,
  regionCode: string, addressPrefix: string, phoneArea: string,
): Province => ({ pinyin, short, en, city, cityEn, regionCode, addressPrefix, phoneArea });

export const provinces: Province[] = [
  p("beijing", "北京", "Beijing", "北京", "Beijing", "110108", "北京市海淀区", "010"),
  p("tianjin", "天津", "Tianjin", "天津", "Tianjin", "120104", "天津市南开区", "022"),
  p("hebei", "河北", "Hebei", "石家庄", "Shijiazhuang", "130102", "河北省石家庄市长安区", "0311"),
  p("shanxi", "山西", "Shanxi", "太原", "Taiyuan", "140105", "山西省太原市小店区", "0351"),
  p("neimenggu", "内蒙古", "Inner Mongolia", "呼和浩特", "Hohhot", "150102", "内蒙古自治区呼和浩特市新城区", "0471"),
  p("liaoning", "辽宁", "Liaoning", "沈阳", "Shenyang", "210102", "辽宁省沈阳市和平区", "024"),
  p("jilin", "吉林", "Jilin", "长春", "Changchun", "220102", "吉林省长春市南关区", "0431"),
  p("heilongjiang", "黑龙江", "Heilongjiang", "哈尔滨", "Harbin", "230103", "黑龙江省哈尔滨市南岗区", "0451"),
  p("shanghai", "上海", "Shanghai", "上海", "Shanghai", "310104", "上海市徐汇区", "021"),
  p("jiangsu", "江苏", "Jiangsu", "南京", "Nanjing", "320102", "江苏省南京市玄武区", "025"),
  p("zhejiang", "浙江", "Zhejiang", "杭州", "Hangzhou", "330106", "浙江省杭州市西湖区", "0571"),
  p("anhui", "安徽", "Anhui", "合肥", "Hefei", "340104", "安徽省合肥市蜀山区", "0551"),
  p("fujian", "福建", "Fujian", "福州", "Fuzhou", "350102", "福建省福州市鼓楼区", "0591"),
  p("jiangxi", "江西", "Jiangxi", "南昌", "Nanchang", "360102", "江西省南昌市东湖区", "0791"),
  p("shandong", "山东", "Shandong", "济南", "Jinan", "370102", "山东省济南市历下区", "0531"),
  p("henan", "河南", "Henan", "郑州", "Zhengzhou", "410105", "河南省郑州市金水区", "0371"),
  p("hubei", "湖北", "Hubei", "武汉", "Wuhan", "420111", "湖北省武汉市洪山区", "027"),
  p("hunan", "湖南", "Hunan", "长沙", "Changsha", "430104", "湖南省长沙市岳麓区", "0731"),
  p("guangdong", "广东", "Guangdong", "广州", "Guangzhou", "440106", "广东省广州市天河区", "020"),
  p("guangxi", "广西", "Guangxi", "南宁", "Nanning", "450103", "广西壮族自治区南宁市青秀区", "0771"),
  p("hainan", "海南", "Hainan", "海口", "Haikou", "460106", "海南省海口市龙华区", "0898"),
  p("chongqing", "重庆", "Chongqing", "重庆", "Chongqing", "500106", "重庆市沙坪坝区", "023"),
  p("sichuan", "四川", "Sichuan", "成都", "Chengdu", "510107", "四川省成都市武侯区", "028"),
  p("guizhou", "贵州", "Guizhou", "贵阳", "Guiyang", "520102", "贵州省贵阳市南明区", "0851"),
  p("yunnan", "云南", "Yunnan", "昆明", "Kunming", "530102", "云南省昆明市五华区", "0871"),
  p("xizang", "西藏", "Tibet", "拉萨", "Lhasa", "540102", "西藏自治区拉萨市城关区", "0891"),
  p("shaanxi", "陕西", "Shaanxi", "西安", "Xi'an", "610113", "陕西省西安市雁塔区", "029"),
  p("gansu", "甘肃", "Gansu", "兰州", "Lanzhou", "620102", "甘肃省兰州市城关区", "0931"),
  p("qinghai", "青海", "Qinghai", "西宁", "Xining", "630102", "青海省西宁市城东区", "0971"),
  p("ningxia", "宁夏", "Ningxia", "银川", "Yinchuan", "640104", "宁夏回族自治区银川市兴庆区", "0951"),
  p("xinjiang", "新疆", "Xinjiang", "乌鲁木齐", "Urumqi", "650102", "新疆维吾尔自治区乌鲁木齐市天山区", "0991"),
];
