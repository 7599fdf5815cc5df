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
