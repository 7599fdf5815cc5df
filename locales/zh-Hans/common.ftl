# 各页面共用的词语：语言切换、日期、时长。

lang-switch-label = 语言

date-long = { $year }年{ $month }{ $day }日
date-time = { $date } { $time }（UTC）

month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月

age-minutes = { $n } 分钟
age-hours = { $n } 小时
age-days = { $n } 天
