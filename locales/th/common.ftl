# คำที่ใช้ร่วมกันทุกหน้า: ตัวเลือกภาษา วันที่ ระยะเวลา

lang-switch-label = ภาษา

# ปีพุทธศักราช ($year_be) ตามด้วยปีคริสต์ศักราช ($year) ที่ระบุในเอกสารรับรอง
date-long = { $day } { $month } พ.ศ. { $year_be } (ค.ศ. { $year })
date-time = { $date } เวลา { $time } น. (UTC)

month-1 = มกราคม
month-2 = กุมภาพันธ์
month-3 = มีนาคม
month-4 = เมษายน
month-5 = พฤษภาคม
month-6 = มิถุนายน
month-7 = กรกฎาคม
month-8 = สิงหาคม
month-9 = กันยายน
month-10 = ตุลาคม
month-11 = พฤศจิกายน
month-12 = ธันวาคม

age-minutes = { $n } นาที
age-hours = { $n } ชั่วโมง
age-days = { $n } วัน
