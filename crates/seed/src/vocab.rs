//! The words generated organizations are made of: cities with their regions
//! and administrative division codes, company name parts, industries with
//! their payment habits, product lines, people's names and the phrases of
//! activity notes, lost reasons and ticket steps.

/// A city customers are registered in.
pub struct City {
    /// The city's name, the first part of a company name.
    pub name: &'static str,
    /// The sales region (华东, 华南 …) teams are organised by.
    pub region: &'static str,
    /// The six-digit administrative division code inside credit codes.
    pub division: &'static str,
}

const fn city(name: &'static str, region: &'static str, division: &'static str) -> City {
    City { name, region, division }
}

/// Cities, grouped by region.
pub const CITIES: [City; 47] = [
    city("上海", "华东", "310000"),
    city("南京", "华东", "320100"),
    city("苏州", "华东", "320500"),
    city("无锡", "华东", "320200"),
    city("常州", "华东", "320400"),
    city("杭州", "华东", "330100"),
    city("宁波", "华东", "330200"),
    city("温州", "华东", "330300"),
    city("绍兴", "华东", "330600"),
    city("合肥", "华东", "340100"),
    city("芜湖", "华东", "340200"),
    city("广州", "华南", "440100"),
    city("深圳", "华南", "440300"),
    city("东莞", "华南", "441900"),
    city("佛山", "华南", "440600"),
    city("珠海", "华南", "440400"),
    city("厦门", "华南", "350200"),
    city("福州", "华南", "350100"),
    city("南宁", "华南", "450100"),
    city("海口", "华南", "460100"),
    city("北京", "华北", "110000"),
    city("天津", "华北", "120000"),
    city("石家庄", "华北", "130100"),
    city("唐山", "华北", "130200"),
    city("太原", "华北", "140100"),
    city("呼和浩特", "华北", "150100"),
    city("济南", "华北", "370100"),
    city("青岛", "华北", "370200"),
    city("武汉", "华中", "420100"),
    city("宜昌", "华中", "420500"),
    city("长沙", "华中", "430100"),
    city("郑州", "华中", "410100"),
    city("洛阳", "华中", "410300"),
    city("南昌", "华中", "360100"),
    city("成都", "西南", "510100"),
    city("绵阳", "西南", "510700"),
    city("重庆", "西南", "500000"),
    city("昆明", "西南", "530100"),
    city("贵阳", "西南", "520100"),
    city("西安", "西北", "610100"),
    city("兰州", "西北", "620100"),
    city("银川", "西北", "640100"),
    city("乌鲁木齐", "西北", "650100"),
    city("沈阳", "东北", "210100"),
    city("大连", "东北", "210200"),
    city("长春", "东北", "220100"),
    city("哈尔滨", "东北", "230100"),
];

/// The sales regions, with the share of teams each gets.
pub const REGIONS: [(&str, f64); 7] = [
    ("华东", 0.30),
    ("华南", 0.20),
    ("华北", 0.18),
    ("华中", 0.10),
    ("西南", 0.10),
    ("西北", 0.06),
    ("东北", 0.06),
];

/// An industry and how its customers pay.
pub struct Industry {
    /// The industry as stored on customers.
    pub name: &'static str,
    /// Words that make a company of this industry (精密机械 → 制造业).
    pub words: &'static [&'static str],
    /// Share of instalments the industry's customers pay late: late payers
    /// are concentrated in construction, real estate, the public sector and education.
    pub late_share: f64,
    /// Median days late when they are late.
    pub median_days_late: f64,
}

/// Industries, each with the words of its company names.
pub const INDUSTRIES: [Industry; 14] = [
    Industry { name: "制造业", words: &["精密机械", "电子科技", "汽车零部件", "智能装备", "模具", "新材料", "电气", "工业自动化"], late_share: 0.12, median_days_late: 10.0 },
    Industry { name: "建筑工程", words: &["建设工程", "建筑安装", "路桥建设", "装饰工程"], late_share: 0.42, median_days_late: 35.0 },
    Industry { name: "房地产", words: &["置业", "地产开发", "物业管理"], late_share: 0.36, median_days_late: 30.0 },
    Industry { name: "教育", words: &["教育科技", "教育集团", "职业培训"], late_share: 0.22, median_days_late: 25.0 },
    Industry { name: "医疗健康", words: &["医疗器械", "生物科技", "医药", "健康管理"], late_share: 0.14, median_days_late: 15.0 },
    Industry { name: "零售", words: &["零售连锁", "商贸", "食品"], late_share: 0.10, median_days_late: 8.0 },
    Industry { name: "物流", words: &["物流", "供应链管理", "冷链运输"], late_share: 0.14, median_days_late: 12.0 },
    Industry { name: "能源", words: &["新能源科技", "电力设备", "燃气"], late_share: 0.18, median_days_late: 20.0 },
    Industry { name: "软件与信息服务", words: &["软件", "数据服务", "信息技术", "网络科技"], late_share: 0.06, median_days_late: 7.0 },
    Industry { name: "金融", words: &["融资租赁", "保险代理"], late_share: 0.04, median_days_late: 5.0 },
    Industry { name: "政府与公共事业", words: &["水务", "城市建设投资", "公共交通"], late_share: 0.30, median_days_late: 40.0 },
    Industry { name: "传媒", words: &["文化传媒", "广告"], late_share: 0.16, median_days_late: 14.0 },
    Industry { name: "化工", words: &["精细化工", "化工材料"], late_share: 0.15, median_days_late: 15.0 },
    Industry { name: "农业", words: &["农业科技", "粮油"], late_share: 0.20, median_days_late: 18.0 },
];

/// Two-character brand words between a city and an industry word.
pub const BRANDS: [&str; 120] = [
    "浦江", "晨光", "西溪", "紫金", "港联", "太湖", "天鹅", "珠江", "南山", "松山",
    "中关", "滨海", "泉城", "海湾", "天府", "两江", "光谷", "岳麓", "高新", "中原",
    "鹭岛", "闽江", "滇池", "赣江", "冀中", "汾河", "浑南", "星海", "冰城", "武进",
    "华信", "宏达", "鼎盛", "恒通", "瑞丰", "金桥", "银河", "东方", "远景", "博远",
    "卓越", "创新", "新锐", "领航", "启明", "长城", "正泰", "德邦", "安泰", "利民",
    "永兴", "昌盛", "兴业", "华联", "万通", "天成", "中科", "汇丰", "聚源", "盛世",
    "海纳", "云帆", "蓝海", "青松", "翠微", "白鹭", "金鼎", "同创", "众诚", "诚信",
    "和信", "嘉禾", "丰泽", "润华", "华兴", "国泰", "福瑞", "祥和", "旭日", "朝阳",
    "明德", "至诚", "信达", "宏图", "凯达", "伟业", "天合", "康泰", "宝华", "晶科",
    "易达", "优联", "智联", "普惠", "鑫源", "森海", "华夏", "海川", "远洋", "山河",
    "辰星", "北辰", "南华", "西部", "东辉", "中恒", "泰和", "金源", "新华", "大华",
    "力拓", "精诚", "创元", "捷达", "广信", "博雅", "睿智", "长江", "黄河", "昆仑",
];

/// Company name endings and how often each is used.
pub const SUFFIXES: [(&str, f64); 3] = [("有限公司", 0.7), ("股份有限公司", 0.2), ("集团有限公司", 0.1)];

/// Company sizes and their shares.
pub const COMPANY_SIZES: [(&str, f64); 4] = [("50 人以下", 0.2), ("50-200 人", 0.4), ("200-1000 人", 0.3), ("1000 人以上", 0.1)];

/// A product line: what deals sell.
pub struct ProductLine {
    /// Stored on deals and filtered on in the funnel.
    pub name: &'static str,
    /// The project words of a deal title.
    pub project: &'static str,
    /// Median deal amount in yuan.
    pub median_yuan: f64,
    /// Share of deals.
    pub share: f64,
}

/// The product lines.
pub const PRODUCT_LINES: [ProductLine; 10] = [
    ProductLine { name: "ERP", project: "ERP 升级", median_yuan: 680_000.0, share: 0.18 },
    ProductLine { name: "MES", project: "MES 实施", median_yuan: 1_200_000.0, share: 0.12 },
    ProductLine { name: "CRM", project: "CRM 替换", median_yuan: 300_000.0, share: 0.15 },
    ProductLine { name: "SCM", project: "供应链协同系统", median_yuan: 900_000.0, share: 0.08 },
    ProductLine { name: "数据平台", project: "数据中台建设", median_yuan: 1_500_000.0, share: 0.10 },
    ProductLine { name: "IoT", project: "设备物联网改造", median_yuan: 800_000.0, share: 0.08 },
    ProductLine { name: "教育云", project: "智慧校园平台", median_yuan: 600_000.0, share: 0.06 },
    ProductLine { name: "财务共享", project: "财务共享中心", median_yuan: 700_000.0, share: 0.08 },
    ProductLine { name: "协同办公", project: "协同办公平台", median_yuan: 200_000.0, share: 0.10 },
    ProductLine { name: "安全合规", project: "等保合规改造", median_yuan: 350_000.0, share: 0.05 },
];

/// Where deals come from, how often, and whether marketing creates them (a hand-off).
pub const SOURCES: [(&str, f64, bool); 6] = [
    ("官网表单", 0.16, true),
    ("市场活动", 0.10, true),
    ("展会", 0.12, false),
    ("老客户转介绍", 0.22, false),
    ("电话营销", 0.25, false),
    ("渠道伙伴", 0.15, false),
];

/// Core needs (本次沟通核心诉求) filled in at stage gates.
pub const NEEDS: [&str; 16] = [
    "库存数据不准，月底盘点要停产两天",
    "各门店报表靠手工汇总，管理层看数晚一周",
    "生产排程靠 Excel，插单时交期经常延误",
    "老系统停止维护，需要在年底前完成替换",
    "集团要求统一财务口径，子公司数据无法对齐",
    "设备故障靠人工巡检，停机损失大",
    "销售线索分散在个人微信里，离职就带走客户",
    "采购审批流程长，紧急物料经常断供",
    "质量追溯要翻纸质记录，客诉响应慢",
    "多个系统数据不通，同一客户信息录入三遍",
    "等保测评在即，现有系统存在高危漏洞",
    "新工厂投产，需要三个月内上线生产管理",
    "回款靠财务人工对账，账龄分析做不出来",
    "校区扩张后教务排课冲突频繁",
    "物流在途状态不透明，客户频繁电话催单",
    "管理层希望实时看到经营驾驶舱",
];

/// Why deals are lost.
pub const LOST_REASONS: [&str; 8] = [
    "预算冻结，项目延期到明年",
    "客户选择了价格更低的竞品",
    "决策人离职，需求取消",
    "客户决定自研",
    "方案未通过客户技术评审",
    "集团统一采购，指定了其他供应商",
    "付款条件谈不拢",
    "需求不明确，客户暂停项目",
];

/// Common family names.
pub const SURNAMES: [&str; 48] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
];

/// Given names.
pub const GIVEN_NAMES: [&str; 64] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "建国", "晓东", "海燕", "志强", "雪梅", "俊杰", "佳怡",
    "子涵", "欣怡", "浩然", "宇航", "思远", "梓萱", "一鸣", "晨曦", "博文", "雨萱", "嘉懿", "天佑", "若曦", "明轩", "诗涵", "建军",
    "立新", "丹", "鹏", "斌", "宁", "凯", "琳", "颖", "婷", "露", "慧", "倩", "璐", "晶", "昊", "辉",
];

/// Contact titles and the decision role a contact with the title usually plays.
pub const CONTACT_TITLES: [(&str, &str); 10] = [
    ("总经理", "DECISION_MAKER"),
    ("副总经理", "DECISION_MAKER"),
    ("财务总监", "INFLUENCER"),
    ("信息中心主任", "INFLUENCER"),
    ("IT 负责人", "CHAMPION"),
    ("采购经理", "GATEKEEPER"),
    ("生产总监", "USER"),
    ("运营经理", "USER"),
    ("项目经理", "CHAMPION"),
    ("总经理助理", "GATEKEEPER"),
];

/// Topics of calls, meetings and chats.
pub const TOPICS: [&str; 12] = [
    "项目预算", "上线时间表", "数据迁移方案", "接口对接范围", "报价明细", "合同条款",
    "试点范围", "实施团队配置", "售后服务条款", "硬件配置要求", "验收标准", "付款方式",
];

/// How the customer reacted.
pub const REACTIONS: [&str; 10] = [
    "客户认可方案方向，希望下周看到细化版本",
    "对方对价格比较敏感，需要再申请折扣",
    "客户内部还在走预算流程",
    "技术负责人提出了两个集成问题，需要售前答复",
    "决策人出差，需延后一周再约",
    "客户对竞品方案也在比较，需突出我们的实施经验",
    "对方整体满意，准备进入内部评审",
    "客户要求提供同行业案例",
    "采购部门要求补充资质材料",
    "客户希望先做小范围试点",
];

/// Documents sent by email.
pub const DOCUMENTS: [&str; 6] = ["方案建议书", "报价单", "同行业案例集", "实施计划", "合同草案", "产品白皮书"];

/// Why tickets are sent back.
pub const REJECT_REASONS: [&str; 4] = ["评估结论缺少接口工作量", "交付计划与客户期望上线时间冲突", "需求理解有偏差，请与客户再确认", "缺少硬件配置清单"];

/// Why tickets get blocked.
pub const BLOCK_REASONS: [&str; 3] = ["等待客户提供现有系统接口文档", "客户 IT 负责人休假，无法确认环境", "等待第三方厂商授权"];

/// Reasons given for activities logged more than a day late.
pub const BACKDATE_REASONS: [&str; 3] = ["出差期间没有网络，回来补录", "当天拜访结束太晚，次日补录", "系统维护期间无法录入"];
