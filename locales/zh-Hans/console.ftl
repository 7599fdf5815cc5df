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
