# 可打印证书与徽章图片（见 locales/en/print.ftl）。

print-title = 证书：{ $achievement }
print-heading = 证书
print-awarded-to = 兹证明
print-has-achieved = 已获得
print-awarded-on = 颁发日期：{ $date }
print-verify-title = 核验本证书
print-verify-text = 扫描二维码或打开下方网址，即可查看本纸质证书所依据的签名凭证是否真实、今天是否仍然有效。
print-qr-alt = 凭证核验页面的二维码
print-hint = 请用 A4 纸打印本页（一页）。
print-linkedin = 添加到领英（LinkedIn）个人资料
print-not-stated = （未注明）
print-level = { $framework } 第 { $code } 级

print-not-found-title = 没有这份证书
print-not-found-text = 本服务上没有任何凭证使用此地址。请核对地址，或向提供地址的人索取证书上的二维码。
print-failed-title = 无法生成证书
print-failed-text = 本服务出现问题。请几分钟后再试。
