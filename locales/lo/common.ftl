# ຄຳສັບທີ່ໃຊ້ຮ່ວມກັນທຸກໜ້າ: ການເລືອກພາສາ, ວັນທີ, ໄລຍະເວລາ

lang-switch-label = ພາສາ

date-long = { $day } { $month } { $year }
date-time = { $date }, ເວລາ { $time } (UTC)

month-1 = ມັງກອນ
month-2 = ກຸມພາ
month-3 = ມີນາ
month-4 = ເມສາ
month-5 = ພຶດສະພາ
month-6 = ມິຖຸນາ
month-7 = ກໍລະກົດ
month-8 = ສິງຫາ
month-9 = ກັນຍາ
month-10 = ຕຸລາ
month-11 = ພະຈິກ
month-12 = ທັນວາ

age-minutes = { $n } ນາທີ
age-hours = { $n } ຊົ່ວໂມງ
age-days = { $n } ມື້
