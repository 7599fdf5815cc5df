# 学分互认的理由与结果（见 locales/en/recognition.ftl）。

## 真实性
reason-authentic = { $status ->
    [checked] 真实有效：签名覆盖整份凭证，凭证在有效期内，颁发方的状态列表显示其未被撤销或暂停。
   *[none] 真实有效：签名覆盖整份凭证，凭证在有效期内；凭证没有状态条目，因此不可能被撤销。
}
reason-altered = 凭证在签名后被改动，或由其他密钥签名：签名与内容不符（{ $details }）。
reason-signature-invalid = { $kind ->
    [unchecked] 未检查凭证的签名，因此无法确认其真实性。
    [binding] 凭证并非以颁发方的身份签名（{ $details }）。
   *[invalid] 凭证的签名无效（{ $details }）。
}
reason-malformed = { $kind ->
    [schema] 凭证不符合 Open Badges 3.0 架构（{ $details }）。
    [dates] 无法读取凭证的有效期（{ $details }）。
    [check] 凭证未通过 { $check } 检查（{ $details }）。
   *[data-model] 凭证不符合可验证凭证（Verifiable Credentials）数据模型（{ $details }）。
}
reason-revoked = 颁发方已撤销该凭证：它不再证明这项成果。
reason-suspended = 颁发方已暂停该凭证：暂停期间不能予以认可。
reason-expired = 凭证已失效（{ $details }）。
reason-not-yet-valid = 凭证尚未生效（{ $details }）。
reason-status-unverifiable = 无法确认凭证的撤销状态（{ $details }）。
reason-presentation-invalid = { $check ->
    [challenge] 出示内容不含核验方的质询码，因此不能证明学习者持有该凭证。
    [domain] 出示内容未绑定核验方的域名，因此不能证明学习者持有该凭证。
    [holder-binding] 出示内容并非由凭证主体签名，因此不能证明学习者持有该凭证。
    [proof] 出示内容没有有效签名，因此不能证明学习者持有该凭证。
    [proof-purpose] 出示内容并非为身份验证而签名，因此不能证明学习者持有该凭证。
   *[data-model] 出示内容不符合出示数据模型，因此不能证明学习者持有该凭证。
}
reason-no-credential = 出示内容中没有可供认可的凭证。

## 质量保障
reason-issuer-accredited = { $issuer } 是联盟信任名录中信誉良好的成员。
reason-accreditation-provisional = 颁发方的认证为临时认证（{ $details }）：认可以该认证得到确认为条件。
reason-issuer-unknown = { $issuer } 不在联盟信任名录中，因此无法确认其质量保障。
reason-accreditation-lapsed = { $issuer } 列于联盟信任名录中，但信誉状态不佳：{ $details }。
reason-registry-unavailable = 无法确认颁发方的质量保障（{ $details }）。
reason-quality-assurance-not-checked = 未检查质量保障：没有查询联盟信任名录，因此不知道 { $issuer } 是否为经认证的成员；依据本决定之前请先确认。

## 级别
reason-level-same-framework = { $from } 已是接收方资历框架 { $receiving } 的级别。
reason-level-mapped = { $from } 对应 { $to }（参照关系：{ $path }）。
reason-level-span = { $from } 跨越 { $receiving } 的 { $levels } 级：参照关系（{ $path }）无法在其中作出判定，接收院校须在比较学习成果后确定其中一级。
reason-level-no-path = 无法自动为 { $from } 推导出 { $receiving } 的级别（{ $details }）。这是参照数据的缺口，而非成果本身的差异：接收院校通过比较学习成果确定级别。
reason-level-not-stated = 凭证未注明资历框架中的级别，因此无法自动与 { $receiving } 比较：由接收院校根据课程确定。
reason-referencing-provisional = 该级别仅依据临时参照关系（{ $links }）：有来源但尚非经认可的参照决定，因此以确认为条件。
reason-referencing-example = 该级别依据示例参照关系（{ $links }）：仅为示意数据，并非已公布的参照决定，接收院校须先确认级别方可采用。

## 学习量
reason-credits-same-system = 学习量已采用接收方的学分体系：{ $claimed } 个 { $claimed_system } 学分，不经换算授予 { $awarded }。
reason-credits-converted = 学习量按正式学分规则精确换算：{ $claimed } 个 { $claimed_system } 学分 = { $hours } 小时 = { $awarded } 个 { $system } 学分。
reason-credits-range = 学习量换算结果为一个区间而非单一数值：{ $claimed } 个 { $claimed_system } 学分 = { $hours } 小时 = { $range } 个 { $system } 学分；按 { $rule } 规则授予 { $awarded }，接收院校可在 { $range } 范围内另定数值。
reason-credits-provisional-rule = 学分数值依据 { $status } 换算数据（{ $details }）：在这些规则得到确认之前，{ $awarded } 个 { $system } 学分仅供参考。
reason-credits-not-convertible = 学习量（{ $claimed } 个 { $claimed_system } 学分）无法换算：{ $details }；接收院校须人工评估。
reason-credits-not-stated = 凭证未注明学分及学分体系，因此接收院校须根据课程评估学习量。

## 学习成果
reason-learning-outcomes-stated = 凭证列出 { $count } 项学习成果（{ $codes }），可与接收方课程比较。
reason-learning-outcomes-missing = 凭证未列出学习成果，因此无法与接收方课程比较：请向颁发方索取，或对学习者进行评估。

## 类型与领域
reason-profile-stated = 类型：{ $kind }“{ $name }”，领域：{ $field }；其定位由接收方课程权衡（不自动比较）。
reason-profile-not-stated = 凭证既未注明成果类型，也未注明专业领域，因此须先向颁发方确认，再与接收方课程比较。

## 结果概要
recognition-summary-recognised = 在 { $receiving } 中予以认可。
recognition-summary-with-conditions = 在 { $receiving } 中有条件认可，共 { $n } 项条件。
recognition-summary-undecided = 无法在 { $receiving } 中自动判定：由接收院校人工决定。
recognition-summary-not-recognised = 在 { $receiving } 中不予认可。
