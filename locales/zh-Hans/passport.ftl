# 分享页面（/share/…）：学习者从其 skillpass 护照中分享的证书，供雇主或院校查阅。

share-page-title = 分享的证书
share-intro = 一位学习者与您分享了这些证书。每一份证书均在此刻进行核验。
share-note-label = 学习者的附言
share-valid-until = 此链接有效期至
share-signature-title = 学习者的签名
share-signature-ok = 学习者已用其密钥签署这组证书，签署后内容未被更改。
share-signature-bad = 学习者对这组证书的签名无效：签署后内容已被更改。
share-bound-ok = 此处的每一份证书都是颁发给签署这组证书的密钥的。
share-bound-other = 此处有部分证书并非颁发给签署这组证书的密钥；请将证书上的姓名与身份证件进行核对。
share-meaning-title = 在本地的含义
share-meaning-pick = 您所在国家的资历框架
share-meaning-show = 显示
share-meaning-level = 本地级别
share-meaning-no-level = 无法确定级别
share-meaning-credits = 本地学分
share-meaning-no-credits = 未换算学分
share-meaning-conditions = 条件
share-meaning-undecided = 无法得出结论
share-gone-title = 此链接无效
share-gone-text = 该链接已被撤回、已过期或从未存在。请向提供链接的人索取新链接。
share-footer = skillpass — 证书在您打开本页面时由本节点核验。
