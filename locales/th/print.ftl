# ประกาศนียบัตรสำหรับพิมพ์และภาพตราสัญลักษณ์ (ดู locales/en/print.ftl)

print-title = ประกาศนียบัตร: { $achievement }
print-heading = ประกาศนียบัตร
print-awarded-to = ขอรับรองว่า
print-has-achieved = ได้สำเร็จ
print-awarded-on = ให้ไว้ ณ วันที่ { $date }
print-verify-title = ตรวจสอบประกาศนียบัตรนี้
print-verify-text = สแกนรหัสหรือเปิดที่อยู่ด้านล่าง เพื่อดูว่าเอกสารรับรองที่ลงนามแบบดิจิทัลซึ่งอยู่เบื้องหลังเอกสารฉบับนี้เป็นของจริงและยังมีผลในวันนี้หรือไม่
print-qr-alt = คิวอาร์โค้ดของหน้าตรวจสอบเอกสารรับรอง
print-hint = พิมพ์หน้านี้บนกระดาษ A4 (หนึ่งหน้า)
print-linkedin = เพิ่มในโปรไฟล์ LinkedIn
print-not-stated = (ไม่ได้ระบุ)
print-level = { $framework } ระดับ { $code }
