# 记录检查发现的问题（src/i18n/record.rs），显示在单份签发表单和上传文件的出错行表格中。
# 值、代码和代码列表（$value、$levels、$frameworks、$allowed、$forms）是数据，按原样插入。

## The record schema
record-required = 必填，但缺少此项
record-not-allowed = 此处不允许有这一项
record-not-one-of = { $value } 不是 { $allowed } 中的任何一个
record-not-in-list = { $value } 不在 { $count } 个允许的代码之中
record-one-of = 必须恰好是以下形式之一：{ $forms }
record-more-than-one = 同时符合多种形式：{ $forms }
record-blank = 不能为空，也不能只有空格
record-spaces-around = { $value } 不能为空，也不能以空格开头或结尾
record-ascii-word = { $value } 只能包含英文字母、数字和 ASCII 标点，不能有空格
record-country-code = { $value } 不是两个大写字母的 ISO 3166 国家代码，例如 CN、MY 或 TH
record-web-address = { $value } 不是以 https://（或 http://）开头的网址，例如 https://www.example.edu/
record-did = { $value } 不是 DID（例如 did:key:z6Mk…）
record-absolute-address = { $value } 不是完整地址（例如 https://… 或 urn:…），且不能有空格
record-date-time = { $value } 不是日期（2025-07-11），也不是带时区偏移的日期时间（2025-07-11T16:30:00+08:00）
record-isced-code = { $value } 不是 2 到 4 位数字的代码
record-single-word = { $value } 不是一个单词（字母、数字、“.”、“_”或“-”；扩展类型以 ext: 开头）
record-language-tag = { $value } 不是语言标签，例如 th、km、zh-Hans 或 pt-BR
record-short-code = { $value } 不是简短代码（字母、数字、“.”、“_”或“-”，以字母或数字开头，最多 32 个字符）
record-form = { $value } 不符合规定的格式
record-date = { $value } 不是日期，例如 2025-07-11
record-full-address = { $value } 不是完整地址，例如 https://www.example.edu/
record-email = { $value } 不是电子邮件地址
record-format = { $value } 不是有效的 { $format }
record-type = 必须是{ $type ->
    [string] 文本
    [number] 数字
    [integer] 整数
    [boolean] true 或 false
    [object] 对象 {"{"}…{"}"}
    [array] 列表 […]
   *[other] { $type }
}
record-minimum = { $value } 小于最小值 { $limit }
record-exclusive-minimum = { $value } 必须大于 { $limit }
record-too-short = { $limit ->
    [1] 不能为空
   *[other] 至少需要 { $limit } 个字符
}
record-too-long = 最多 { $limit } 个字符
record-too-few = { $limit ->
    [1] 至少需要一项
   *[other] 至少需要 { $limit } 项
}
record-too-many = 最多 { $limit } 项

## The framework data and the rules across fields
record-framework-unknown = skillpass 不认识资历框架“{ $framework }”；可用的框架有：{ $frameworks }
record-framework-unknown-like = skillpass 不认识资历框架“{ $framework }”（代码区分大小写：您是指 { $like } 吗？）；可用的框架有：{ $frameworks }
record-level-unknown = “{ $code }”不是框架 { $framework } 的层级；该框架的层级有：{ $levels }
record-level-unknown-like = “{ $code }”不是框架 { $framework } 的层级（代码区分大小写：您是指 { $like } 吗？）；该框架的层级有：{ $levels }
record-decimals = 小数超过两位
record-duplicate-outcome-code = 学习成果代码“{ $code }”重复
record-not-after-award = 必须晚于授予日期（awardedDate）

## The batch file's rows
record-row-cells = 此行有 { $cells } 个单元格，而标题行有 { $header } 个
record-cell-not-utf8 = 第 { $cell } 个单元格不是 UTF-8 文本
record-row-too-long = 此行长 { $bytes } 字节，每行最多 { $max } 字节
record-duplicate-record-id = 记录编号（recordId）“{ $id }”已出现在本文件的第 { $row } 行
record-outcome-count = { $column } 有 { $count } 条陈述，而 outcomes 有 { $outcomes } 项成果：请按相同顺序为每项成果写一条陈述，用 ; 分隔
