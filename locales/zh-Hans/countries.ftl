# Country names: see locales/en/countries.ftl.

country-CN = 中国
country-LA = 老挝
country-TH = 泰国
country-MY = 马来西亚
country-KH = 柬埔寨
country-GH = 加纳
country-ZW = 津巴布韦
country-BN = 文莱
country-ID = 印度尼西亚
country-MM = 缅甸
country-PH = 菲律宾
country-SG = 新加坡
country-VN = 越南
country-TL = 东帝汶
