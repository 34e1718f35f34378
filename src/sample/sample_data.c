/*
 * src/sample/sample_data.c — calibration tables of the sample generator.
 *
 * Sources: tests/data/published-2026.csv (T13 province shares and
 * national shares, T14 clusters, T16 city shares, T17 division shares,
 * T18/T19 group and class national shares).  Figures the report does not
 * publish (smaller provinces, smaller cities, smaller divisions) are our
 * own plausible choices, kept below the smallest published rank so that
 * the published rankings hold.  docs/calibration.md explains the choices.
 *
 * City entries: "name:share:multiplier" where share is a fraction of P and
 * multiplier scales the enterprise's patent counts (tuned so T16's city
 * patent medians come out); "name" alone takes an equal part of the
 * province's residual share and multiplier 1.
 */
#include "sample_private.h"

const sample_prov_spec sample_provinces[] = {
    {"江苏省", 0.1442, 32,
     "苏州市:0.0385:1.95;无锡市:0.0203:1.65;南京市:0.0173:1.2;常州市:0.0150:1.83;"
     "南通市;徐州市;扬州市;泰州市;镇江市;盐城市;淮安市;连云港市;宿迁市"},
    {"广东省", 0.1352, 44,
     "深圳市:0.0540:1.0;广州市:0.0363:0.9;佛山市:0.0119:1.1;"
     "东莞市;珠海市;中山市;惠州市;江门市;汕头市;肇庆市;湛江市;清远市"},
    {"山东省", 0.1149, 37,
     "青岛市:0.0212:0.86;济南市:0.0169:0.78;"
     "烟台市;潍坊市;淄博市;威海市;济宁市;临沂市;东营市;泰安市;德州市;聊城市;滨州市;枣庄市;日照市;菏泽市"},
    {"浙江省", 0.0844, 33,
     "杭州市:0.0245:1.38;宁波市:0.0171:1.5;"
     "温州市;嘉兴市;绍兴市;台州市;金华市;湖州市;衢州市;丽水市;舟山市"},
    {"北京市", 0.0679, 11, "北京市:0.0679:0.70"},
    {"上海市", 0.0619, 31, "上海市:0.0619:0.89"},
    {"湖北省", 0.0479, 42, "武汉市:0.0168:1.03;襄阳市;宜昌市;荆州市;孝感市;黄石市;十堰市;荆门市;黄冈市;鄂州市"},
    {"河北省", 0.0443, 13, "石家庄市;保定市;唐山市;廊坊市;邯郸市;沧州市;邢台市;衡水市;秦皇岛市;张家口市;承德市"},
    {"四川省", 0.0391, 51, "成都市:0.0232:0.9;绵阳市;德阳市;宜宾市;泸州市;乐山市;南充市;自贡市"},
    {"湖南省", 0.0360, 43, "长沙市:0.0131:0.66;株洲市;湘潭市;衡阳市;岳阳市;常德市;郴州市;益阳市"},
    {"重庆市", 0.0355, 50, "重庆市:0.0355:0.76"},
    {"河南省", 0.0340, 41, "郑州市;洛阳市;新乡市;许昌市;南阳市;焦作市;开封市;平顶山市;安阳市"},
    {"福建省", 0.0330, 35, "厦门市:0.0117:0.98;福州市;泉州市;漳州市;莆田市;龙岩市;三明市"},
    {"安徽省", 0.0262, 34, "合肥市;芜湖市;滁州市;马鞍山市;安庆市;蚌埠市;宣城市;铜陵市"},
    {"陕西省", 0.0160, 61, "西安市;宝鸡市;咸阳市;渭南市;汉中市"},
    {"江西省", 0.0150, 36, "南昌市;赣州市;九江市;上饶市;吉安市;宜春市"},
    {"辽宁省", 0.0130, 21, "沈阳市;大连市;鞍山市;营口市;锦州市"},
    {"山西省", 0.0060, 14, "太原市;长治市;晋中市;大同市"},
    {"广西壮族自治区", 0.0060, 45, "南宁市;柳州市;桂林市;玉林市"},
    {"贵州省", 0.0060, 52, "贵阳市;遵义市;安顺市"},
    {"吉林省", 0.0050, 22, "长春市;吉林市;四平市"},
    {"云南省", 0.0050, 53, "昆明市;曲靖市;玉溪市"},
    {"黑龙江省", 0.0045, 23, "哈尔滨市;大庆市;齐齐哈尔市"},
    {"天津市", 0.0042, 12, "天津市:0.0042:1.0"},
    {"内蒙古自治区", 0.0040, 15, "呼和浩特市;包头市;鄂尔多斯市"},
    {"新疆维吾尔自治区", 0.0035, 65, "乌鲁木齐市;昌吉回族自治州;克拉玛依市"},
    {"甘肃省", 0.0030, 62, "兰州市;天水市;白银市"},
    {"海南省", 0.0018, 46, "海口市;三亚市"},
    {"宁夏回族自治区", 0.0012, 64, "银川市;石嘴山市"},
    {"青海省", 0.0008, 63, "西宁市;海东市"},
    {"西藏自治区", 0.0005, 54, "拉萨市"},
};
const int sample_n_provinces = (int)(sizeof sample_provinces / sizeof sample_provinces[0]);

/* T13: the national share inside the provinces the report publishes it for;
 * the others share what is left of the overall national share. */
const sample_nat_spec sample_nat_shares[] = {
    {"江苏省", 0.1222}, {"广东省", 0.1159}, {"山东省", 0.0710}, {"浙江省", 0.1543}, {"北京市", 0.1073},
    {"上海市", 0.0997}, {"湖北省", 0.0988}, {"河北省", 0.0619}, {"四川省", 0.0821}, {"湖南省", 0.0990},
    {"重庆市", 0.1100}, {"安徽省", 0.1930}, {"天津市", 0.4700},
};
const int sample_n_nat_shares = (int)(sizeof sample_nat_shares / sizeof sample_nat_shares[0]);

/* The 12 published divisions first (T17), then our choices for the rest
 * (each below the 12th published share, scaled to fill the remainder). */
const sample_div_spec sample_divisions[] = {
    {"75", 0.1290},
    {"65", 0.0711},
    {"73", 0.0703},
    {"34", 0.0687},
    {"35", 0.0572},
    {"38", 0.0509},
    {"74", 0.0460},
    {"39", 0.0442},
    {"33", 0.0415},
    {"51", 0.0413},
    {"26", 0.0343},
    {"30", 0.0281},
    /* ---- unpublished: relative weights, scaled to 1 - sum(above) ---- */
    {"40", 0.022},
    {"27", 0.022},
    {"29", 0.020},
    {"36", 0.020},
    {"64", 0.018},
    {"32", 0.012},
    {"52", 0.012},
    {"37", 0.010},
    {"72", 0.010},
    {"17", 0.008},
    {"31", 0.008},
    {"77", 0.008},
    {"22", 0.006},
    {"63", 0.006},
    {"28", 0.005},
    {"14", 0.005},
    {"13", 0.004},
    {"18", 0.004},
    {"24", 0.004},
    {"41", 0.004},
    {"44", 0.004},
    {"48", 0.004},
    {"59", 0.004},
    {"01", 0.004},
    {"20", 0.003},
    {"21", 0.003},
    {"23", 0.003},
    {"43", 0.003},
    {"49", 0.003},
    {"50", 0.003},
    {"71", 0.003},
    {"05", 0.003},
    {"15", 0.002},
    {"19", 0.002},
    {"25", 0.002},
    {"42", 0.002},
    {"46", 0.002},
    {"78", 0.002},
    {"45", 0.001},
};
const int sample_n_divisions = (int)(sizeof sample_divisions / sizeof sample_divisions[0]);
const double sample_top_div_total =
    0.1290 + 0.0711 + 0.0703 + 0.0687 + 0.0572 + 0.0509 + 0.0460 + 0.0442 + 0.0415 + 0.0413 + 0.0343 + 0.0281;

/* Classes pinned by T18/T19 (shares of P, national share inside).  Group
 * 397 (count 3884, national share 13.2%) and 749 (count 4716, 10.2%) are
 * spread evenly over their classes; groups 398, 382 and 346 are composed
 * so that the group's national share is met while only the classes of T19
 * have count >= 300 together with a national share >= 15%. */
const sample_class_spec sample_classes[] = {
    /* group 397: 0.02321 of P, national 13.2% */
    {"3971", 0.00332, 0.132},
    {"3972", 0.00332, 0.132},
    {"3973", 0.00332, 0.132},
    {"3974", 0.00332, 0.132},
    {"3975", 0.00331, 0.132},
    {"3976", 0.00331, 0.132},
    {"3979", 0.00331, 0.132},
    /* group 398: national 22.0% */
    {"3983", 0.0040, 0.218},
    {"3985", 0.0045, 0.245},
    {"3981", 0.0015, 0.190},
    {"3982", 0.0010, 0.190},
    {"3984", 0.0005, 0.150},
    {"3989", 0.0008, 0.200},
    /* group 382: national 15.2% */
    {"3824", 0.0040, 0.221},
    {"3825", 0.0035, 0.198},
    {"3821", 0.0015, 0.060},
    {"3822", 0.0010, 0.060},
    {"3823", 0.0020, 0.060},
    {"3829", 0.0005, 0.080},
    /* group 346: national 16.6%, no class both >= 300 and >= 15% */
    {"3461", 0.0016, 0.200},
    {"3462", 0.0016, 0.200},
    {"3463", 0.0016, 0.200},
    {"3464", 0.0008, 0.115},
    {"3465", 0.0008, 0.115},
    {"3466", 0.0004, 0.115},
    {"3467", 0.0012, 0.115},
    /* group 749: 0.02818 of P, national 10.2% */
    {"7491", 0.0100, 0.102},
    {"7492", 0.0100, 0.102},
    {"7499", 0.00818, 0.102},
    /* T19 classes elsewhere */
    {"3841", 0.0030, 0.185},
    {"4011", 0.0050, 0.232},
    {"4014", 0.0030, 0.205},
    {"6511", 0.0040, 0.182},
    {"6520", 0.0035, 0.178},
    {"3062", 0.0025, 0.165},
    {"3073", 0.0020, 0.158},
    {"2761", 0.0025, 0.152},
};
const int sample_n_classes = (int)(sizeof sample_classes / sizeof sample_classes[0]);

const sample_ipc_spec sample_ipcs[] = {
    {"39", "H01L,H05K,H01G,H03H,G02F"}, {"38", "H02J,H01M,H02M,H01H,H02K"}, {"40", "G01N,G01R,G05B,G01D,G01M"},
    {"34", "F04D,B65B,F24F,B23K,F16K"}, {"35", "B23Q,A61B,B65G,B01D,B08B"}, {"36", "B60L,B60W,B62D,F16H"},
    {"37", "B61L,B64C,B63B,B64D"},      {"65", "G06F,H04L,G06Q,G06N,G06T"}, {"64", "G06F,H04L,G06Q,H04W"},
    {"63", "H04L,H04W,H04B,G06F"},      {"75", "G06F,G01N,C12N,B01J,G06Q"}, {"73", "G01N,C12N,A61K,G06F,B01J"},
    {"74", "G06F,G01N,E02D,G06T,G01C"}, {"26", "C08L,C07D,C09D,B01J,C08K"}, {"27", "A61K,C07K,C12N,A61P,C07D"},
    {"28", "D01F,C08G,D06M"},           {"29", "C08L,B29C,C08K,B32B"},      {"30", "C04B,C03C,B28B,C08J"},
    {"31", "C21D,C22C,B21B"},           {"32", "C22C,C22B,B22F"},           {"33", "B21D,B22F,F16B,B23P"},
    {"", "G01N,B23P,F16H,G06F"},
};
const int sample_n_ipcs = (int)(sizeof sample_ipcs / sizeof sample_ipcs[0]);

/* T16: median patents_total of the published cities (the generator fits each
 * city's patent multiplier to it). */
const sample_city_median sample_city_medians[] = {
    {"北京市", 27}, {"上海市", 33}, {"深圳市", 38}, {"苏州市", 72}, {"广州市", 35}, {"重庆市", 28},
    {"杭州市", 52}, {"成都市", 34}, {"青岛市", 31}, {"无锡市", 61}, {"南京市", 45}, {"宁波市", 58},
    {"济南市", 28}, {"武汉市", 38}, {"常州市", 68}, {"长沙市", 23}, {"佛山市", 42}, {"厦门市", 35},
};
const int sample_n_city_medians = (int)(sizeof sample_city_medians / sizeof sample_city_medians[0]);
