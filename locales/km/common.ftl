# ពាក្យដែលប្រើរួមគ្នាគ្រប់ទំព័រ៖ ការជ្រើសរើសភាសា កាលបរិច្ឆេទ និងរយៈពេល

lang-switch-label = ភាសា

date-long = { $day } { $month } { $year }
date-time = { $date } ម៉ោង { $time } (UTC)

month-1 = មករា
month-2 = កុម្ភៈ
month-3 = មីនា
month-4 = មេសា
month-5 = ឧសភា
month-6 = មិថុនា
month-7 = កក្កដា
month-8 = សីហា
month-9 = កញ្ញា
month-10 = តុលា
month-11 = វិច្ឆិកា
month-12 = ធ្នូ

age-minutes = { $n } នាទី
age-hours = { $n } ម៉ោង
age-days = { $n } ថ្ងៃ
