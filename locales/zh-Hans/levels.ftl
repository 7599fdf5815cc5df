# Names of framework levels (see src/i18n/levels.rs and docs/LANGUAGES.md).

# A generic name in the data, "<framework> level <n>": $framework is its short name (MQF), $level the code.
level-generic = { $framework } { $level } 级
# A generic name marked "(example)" in the data: $name is the generic name above.
level-example = { $name }（示例）

# Levels with a real name, keyed by framework id and level code. English equals the data.
level-CN-1X-intermediate = 中级
level-CN-1X-junior = 初级
level-CN-1X-senior = 高级
level-CN-VOC-associate = 高等职业教育专科
level-CN-VOC-bachelor = 职业本科
level-CN-VOC-secondary = 中等职业教育
level-GH-NTVETQF-1 = 国家技能水平证书一级
level-GH-NTVETQF-2 = 国家技能水平证书二级
level-GH-NTVETQF-3 = 国家证书一级
level-GH-NTVETQF-4 = 国家证书二级
level-GH-NTVETQF-5 = 高级国家文凭
level-GH-NTVETQF-6 = 技术学士
level-GH-NTVETQF-7 = 技术硕士
level-GH-NTVETQF-8 = 技术博士
level-ISCED-2011-0 = 学前教育
level-ISCED-2011-1 = 初等教育
level-ISCED-2011-2 = 初级中等教育
level-ISCED-2011-3 = 高级中等教育
level-ISCED-2011-4 = 中等后非高等教育
level-ISCED-2011-5 = 短线高等教育
level-ISCED-2011-6 = 学士或同等水平
level-ISCED-2011-7 = 硕士或同等水平
level-ISCED-2011-8 = 博士或同等水平
level-LA-NVQF-1 = 一级证书
level-LA-NVQF-2 = 二级证书
level-LA-NVQF-3 = 三级证书
level-LA-NVQF-4 = 文凭
level-LA-NVQF-5 = 高级文凭
level-MY-SKM-4 = 马来西亚技能文凭 (DKM)
level-MY-SKM-5 = 马来西亚高级技能文凭 (DLKM)
level-SZ-Agreement-T1 = 第 1 层（示例）：基础技能
level-SZ-Agreement-T2 = 第 2 层（示例）：技术工人
level-SZ-Agreement-T3 = 第 3 层（示例）：技术员
level-SZ-Agreement-T4 = 第 4 层（示例）：应用型专业人员
level-SZ-Agreement-T5 = 第 5 层（示例）：高级专业人员
level-TH-TQF-1 = 高级文凭
level-TH-TQF-2 = 学士学位
level-TH-TQF-3 = 研究生文凭
level-TH-TQF-4 = 硕士学位
level-TH-TQF-5 = 高级研究生文凭
level-TH-TQF-6 = 博士学位
level-TH-VOC-certificate = 职业教育证书
level-TH-VOC-diploma = 职业教育文凭
level-TH-VOC-higher-diploma = 高级文凭
level-ZNQF-1 = 初等水平证书
level-ZNQF-10 = 博士
level-ZNQF-9 = 硕士
