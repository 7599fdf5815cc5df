# 院校管理后台（src/http/console, templates/console）：院校工作人员和节点运营方使用。

console-name = skillpass 管理后台
console-back = 返回管理后台
console-sign-in = 登录
console-sign-in-heading = 登录院校管理后台
console-sign-in-help = 请向本院校的教务登记员或节点运营方申请账户。系统对接仍使用 API 令牌。
console-sign-in-failed = 电子邮箱或密码错误。
console-sign-in-too-many = 密码错误次数过多。请等待一分钟后再试。
console-sign-out = 退出登录
console-email = 电子邮箱
console-password = 密码

console-nav-dashboard = 概览
console-nav-credentials = 证书
console-nav-audit = 审计记录

console-role-viewer = 查看员
console-role-issuer = 签发员
console-role-registrar = 教务登记员
console-role-operator = 运营方

console-count-issued = 已签发
console-count-claimed = 已被学习者领取
console-count-revoked = 已撤销
console-count-suspended = 已暂停
console-recent-credentials = 最近签发
console-recent-activity = 最近操作

console-search = 搜索
console-search-label = 记录编号、学习者姓名、学号或学习成果
console-found = 找到 { $n } 份证书

console-col-learner = 学习者
console-col-student-number = 学号
console-col-achievement = 学习成果
console-col-record = 记录编号
console-col-issued = 签发时间
console-col-status = 状态
console-col-when = 时间
console-col-who = 操作人
console-col-action = 操作
console-col-subject = 对象
console-col-institution = 院校
console-col-country = 国家/地区
console-col-keys = 使用中的签名密钥
console-col-registry = 联盟登记册

console-status-any = 任意状态
console-status-active = 有效
console-status-suspended = 已暂停
console-status-revoked = 已撤销
console-claimed = 已领取

console-credential-id = 证书编号
console-employer-page = 雇主核验页面
console-history = 状态变更记录
console-history-none = 自签发以来状态未变更。
console-change-status = 变更状态
console-action-revoke = 撤销
console-action-suspend = 暂停
console-action-unsuspend = 恢复（结束暂停）
console-reason = 原因
console-reason-publish = 向雇主显示原因（雇主始终可以看到日期）
console-reason-published = 已向雇主显示
console-revoke-final = 撤销后无法恢复。暂停可以在以后结束。

console-operator = 本节点上的院校
console-registry-member = 已列入
console-registry-missing = 未列入联盟登记册：在加入之前，雇主看到其证书的结论为“签发机构不明”。

console-error-internal = 出现问题。请几分钟后再试。
console-error-csrf = 此表单已过期。请返回、刷新页面后重试。
console-error-role = 您的角色无权执行此操作。请联系本院校的教务登记员。
console-error-not-found = 本院校的证书中没有这一份。
console-error-action = 请选择撤销、暂停或恢复。
console-error-status = 无法变更状态。
console-error-origin = 此表单来自其他网站，已被拒绝。

console-keys-retired = 已停用
console-rotate-key = 新建签名密钥
console-registry-body = 质量保障或认证机构
console-registry-status = 认证状态
console-registry-accredited = 已认证
console-registry-provisional = 临时认证
console-registry-reference = 决定或证书编号（可选）
console-registry-add = 加入联盟注册表
console-error-no-institution = 本节点没有这个机构。
console-error-accreditation = 请填写质量保障机构，并选择已认证或临时认证。
console-error-registry = 无法将该机构加入注册表。
console-error-rotate = 无法更换签名密钥。

## Issue and upload
console-nav-issue = 单份颁发
console-nav-upload = 上传 CSV
console-issue-title = 颁发一份证书
console-issue-intro = 请填写学习者的记录。按下按钮后，证书即以贵校的名义签发。
console-issue-record-id = 记录编号
console-issue-record-id-help = 贵校为此记录设定的编号。同一记录编号绝不会被颁发两次，因此重复提交此表单不会造成影响。
console-issue-learner-name = 学习者姓名（全名）
console-issue-student-number = 学号
console-issue-achievement = 成果（课程或资格）
console-issue-description = 学习者取得的成果
console-issue-criteria = 考核方式
console-issue-outcomes = 学习成果
console-issue-outcomes-help = 每行一项。如需为成果加代码，请先写代码，再加一条竖线：NEV-1 | 断开并隔离高压系统
console-issue-field = 学科领域（ISCED-F 2013）
console-issue-level = 层级
console-issue-credits = 学分
console-issue-credit-system = 学分体系
console-issue-hours = 学习时数
console-issue-awarded = 授予日期
console-issue-valid-until = 有效期至（可选）
console-issue-choose = 请选择…
console-issue-submit = 颁发证书
console-issue-failed = 证书未能颁发。请修改下方标出的栏目。
console-issue-required = 此项必填。
console-issue-number = 请填写数字，例如 3 或 1.5。
console-issue-date = 请按“年-月-日”填写日期，例如 2025-07-11。
console-issue-bad-record-id = 请使用字母、数字以及 - 或 _ 等符号，不要有空格（最多 128 个字符）。
console-issue-exists = 已有证书使用此记录编号颁发。
console-issue-see-existing = 打开该证书
console-upload-title = 上传记录 CSV 文件
console-upload-intro = 文件中的每一行将成为一份证书。请从模板开始：模板包含所有栏目和两行示例。
console-upload-template = 下载模板（CSV）
console-upload-file = CSV 文件
console-upload-submit = 上传并颁发
console-upload-limits = 每个文件最多 { $rows } 行、{ $megabytes } MB。每一行都需要记录编号，因此再次运行同一文件绝不会重复颁发。
console-upload-recent = 最近的上传
console-upload-none = 尚无上传。
console-upload-forgotten = 此列表和进度页面只保留到服务重启为止。证书本身在颁发时即已保存。
console-upload-job = 上传：{ $name }
console-upload-by = 由 { $who } 于 { $when } 上传
console-upload-progress = 已处理 { $done } / { $total } 行
console-upload-running = 正在颁发…本页面会自动刷新。
console-upload-finished = 已完成。
console-upload-issued = 已颁发
console-upload-existing = 此前已颁发
console-upload-failed = 未颁发
console-upload-errors = 未颁发的行
console-upload-col-row = 行
console-upload-col-field = 栏目
console-upload-col-problem = 问题
console-upload-no-record-id = 此行没有记录编号。请补上编号，以免再次运行文件时重复颁发。
console-upload-fix = 修改后重新运行
console-upload-fix-help = 下载未颁发的行，修改后上传该文件，或直接在此处修改。已颁发的行绝不会再次颁发。
console-upload-download-failed = 下载未颁发的行（CSV）
console-upload-rows = 未颁发的行
console-upload-rerun = 重新运行这些行
console-upload-fixed-name = { $name }（已修改）
console-upload-done-rows = 已颁发的行
console-upload-open = 打开
console-error-upload-size = 文件过大：最多接受 { $megabytes } MB。
console-error-upload-rows = 文件有 { $rows } 行，但每次最多处理 { $max } 行。请拆分成较小的文件。
console-error-upload-empty = 文件只有标题行，下面没有记录。
console-error-upload-none = 请选择要上传的 CSV 文件。
console-error-upload-header = 文件的第一行没有列出模板的栏目名称。
console-error-upload-busy = 仍在运行的上传过多。请等其中一个完成后再试。
console-error-upload-not-found = 贵校的上传中没有此项。服务重启后上传记录会被清除，但证书不会。

## Claim sheet and operator

console-achievement-any = 所有学习成果
console-issued-from = 签发日期自
console-issued-to = 签发日期至
console-page-previous = ← 上一页
console-page-next = 下一页 →
console-page-of = 第 { $page } 页，共 { $pages } 页
console-sheet-explain = 领取单：勾选学习者（或选择全部搜索结果），为每人打印一张领取条，上面有二维码和一次性验证码，学习者凭此把证书领取到自己的钱包。每次生成领取单都会产生新的验证码：此前为同一证书打印的领取条随即失效。
console-sheet-ticked = 为勾选的学习者生成领取单
console-sheet-all = { $n ->
    [one] 为找到的 1 份证书生成领取单
   *[other] 为找到的全部 { $n } 份证书生成领取单
}
console-sheet-pick = 加入领取单
console-sheet-title = 领取单
console-sheet-made = { $n ->
    [0] 没有领取条：所选证书目前都无法领取。
   *[other] 已准备好 { $n } 张领取条，可以打印。
}
console-sheet-print = 请现在打印本页（使用浏览器的“打印”，纸张选 A4，每页四张领取条），然后沿虚线剪开。一次性验证码只显示在本页：如果重新加载本页，系统会生成新的验证码，此前打印的领取条将无法使用。
console-sheet-replaced = 已撤回 { $n } 个先前的领取邀请：此前为相同证书打印的领取条已失效。
console-sheet-skipped = 未列入本领取单
console-skip-claimed = 学习者已领取到钱包
console-skip-revoked = 已撤销，无法领取
console-skip-refused = 无法发出领取邀请
console-slip-qr = 领取链接的二维码
console-slip-step-scan = 用手机相机扫描二维码，或在浏览器中输入下面的链接。
console-slip-step-code = 系统要求时，输入您的一次性验证码。
console-slip-code = 一次性验证码
console-slip-link = 链接
console-slip-by = 请在 { $date } 之前领取。
console-slip-private = 请妥善保管此领取条，不要交给他人：任何持有者都可以领取您的证书。
console-error-sheet-empty = 请至少勾选一名学习者来生成领取单。
console-error-sheet-large = 一张领取单最多容纳 { $max } 名学习者；本次搜索找到 { $n } 名。请缩小搜索范围（按学习成果或签发日期），分几次生成领取单。

console-register-heading = 登记院校
console-register-id = 简称代码（小写字母、数字、- 和 _；用于网址）
console-register-name = 名称
console-register-country = 国家或地区（两位字母代码，例如 MY、TH、CN）
console-register-url = 网址（选填，https://…）
console-register-framework = 资历框架（例如 MQF、CN-VOC）
console-register-did = 标识符（DID）
console-register-did-key = did:key：密钥本身就是标识符；最简单，但密钥永远无法更换
console-register-did-web = 本节点网址下的 did:web：以后可以更换签名密钥
console-register-registry = 现在就加入联盟注册表
console-register-unlisted-hint = 未加入联盟注册表之前，雇主看到其证书的结论为“签发机构不明”。
console-register-submit = 登记
console-registered-heading = { $name } 已登记
console-registered-did = DID
console-registered-token = API 令牌
console-registered-token-once = API 令牌仅在此显示这一次。请立即复制，并通过安全渠道交给该院校的开发人员。如果遗失，节点管理员可以通过管理 API 生成新的令牌，旧令牌随即失效。
console-registered-listed = 该院校已列入联盟注册表：雇主看到其证书来自已知的签发机构。
console-registered-unlisted = 该院校尚未列入联盟注册表：在加入之前，雇主看到其证书的结论为“签发机构不明”。
console-error-register = 无法登记该院校。
console-error-register-id = 简称代码只能包含小写字母、数字、- 和 _，并须以字母或数字开头（最多 64 个字符）。
console-error-register-framework = 请填写该院校颁授资历所依据的资历框架。
