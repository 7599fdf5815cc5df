# คอนโซลของสถาบัน (src/http/console, templates/console): สำหรับเจ้าหน้าที่สถาบันและผู้ดูแลโหนด

console-name = คอนโซล skillpass
console-back = กลับไปที่คอนโซล
console-sign-in = เข้าสู่ระบบ
console-sign-in-heading = เข้าสู่คอนโซลของสถาบัน
console-sign-in-help = ขอบัญชีจากนายทะเบียนของสถาบันหรือผู้ดูแลโหนด ระบบอัตโนมัติยังคงใช้โทเค็น API
console-sign-in-failed = อีเมลหรือรหัสผ่านไม่ถูกต้อง
console-sign-in-too-many = ใส่รหัสผ่านผิดหลายครั้งเกินไป โปรดรอหนึ่งนาทีแล้วลองใหม่
console-sign-out = ออกจากระบบ
console-email = อีเมล
console-password = รหัสผ่าน

console-nav-dashboard = ภาพรวม
console-nav-credentials = เอกสารรับรอง
console-nav-audit = บันทึกการตรวจสอบ

console-role-viewer = ผู้ดู
console-role-issuer = ผู้ออกเอกสาร
console-role-registrar = นายทะเบียน
console-role-operator = ผู้ดูแลโหนด

console-count-issued = ออกแล้ว
console-count-claimed = ผู้เรียนรับแล้ว
console-count-revoked = เพิกถอนแล้ว
console-count-suspended = ระงับแล้ว
console-recent-credentials = ออกล่าสุด
console-recent-activity = กิจกรรมล่าสุด

console-search = ค้นหา
console-search-label = รหัสระเบียน ชื่อผู้เรียน รหัสนักศึกษา หรือผลสัมฤทธิ์
console-found = พบเอกสารรับรอง { $n } รายการ

console-col-learner = ผู้เรียน
console-col-student-number = รหัสนักศึกษา
console-col-achievement = ผลสัมฤทธิ์
console-col-record = รหัสระเบียน
console-col-issued = วันที่ออก
console-col-status = สถานะ
console-col-when = เมื่อ
console-col-who = โดย
console-col-action = การดำเนินการ
console-col-subject = รายการ
console-col-institution = สถาบัน
console-col-country = ประเทศ
console-col-keys = กุญแจลงลายมือชื่อที่ใช้อยู่
console-col-registry = ทะเบียนพันธมิตร

console-status-any = ทุกสถานะ
console-status-active = มีผล
console-status-suspended = ระงับ
console-status-revoked = เพิกถอน
console-claimed = รับแล้ว

console-credential-id = รหัสเอกสารรับรอง
console-employer-page = หน้าสำหรับนายจ้าง
console-history = ประวัติสถานะ
console-history-none = ไม่มีการเปลี่ยนสถานะนับตั้งแต่ออกเอกสาร
console-change-status = เปลี่ยนสถานะ
console-action-revoke = เพิกถอน
console-action-suspend = ระงับ
console-action-unsuspend = คืนสถานะ (ยกเลิกการระงับ)
console-reason = เหตุผล
console-reason-publish = แสดงเหตุผลให้นายจ้างเห็น (นายจ้างเห็นวันที่เสมอ)
console-reason-published = แสดงให้นายจ้างเห็น
console-revoke-final = การเพิกถอนไม่สามารถย้อนกลับได้ ส่วนการระงับสามารถยกเลิกได้ภายหลัง

console-operator = สถาบันบนโหนดนี้
console-registry-member = อยู่ในทะเบียน
console-registry-missing = ไม่อยู่ในทะเบียนของพันธมิตร: นายจ้างจะเห็นเอกสารรับรองของสถาบันนี้เป็น "ไม่ทราบผู้ออก" จนกว่าจะได้รับการเพิ่ม

console-error-internal = เกิดข้อผิดพลาด โปรดลองใหม่ในอีกสักครู่
console-error-csrf = แบบฟอร์มนี้หมดอายุแล้ว โปรดย้อนกลับ โหลดหน้าใหม่ แล้วลองอีกครั้ง
console-error-role = บทบาทของคุณไม่สามารถทำรายการนี้ได้ โปรดติดต่อนายทะเบียนของสถาบัน
console-error-not-found = ไม่มีเอกสารรับรองนี้ในเอกสารของสถาบันคุณ
console-error-action = โปรดเลือกเพิกถอน ระงับ หรือคืนสถานะ
console-error-status = ไม่สามารถเปลี่ยนสถานะได้
console-error-origin = แบบฟอร์มนี้ส่งมาจากเว็บไซต์อื่น จึงถูกปฏิเสธ

console-keys-retired = เลิกใช้แล้ว
console-rotate-key = สร้างกุญแจลงนามใหม่
console-registry-body = หน่วยงานประกันคุณภาพหรือรับรองมาตรฐาน
console-registry-status = การรับรอง
console-registry-accredited = ได้รับการรับรอง
console-registry-provisional = ได้รับการรับรองชั่วคราว
console-registry-reference = เลขที่คำตัดสินหรือใบรับรอง (ไม่บังคับ)
console-registry-add = เพิ่มในทะเบียนของพันธมิตร
console-error-no-institution = ไม่มีสถาบันนี้ในโหนดนี้
console-error-accreditation = โปรดระบุหน่วยงานประกันคุณภาพ และเลือกได้รับการรับรองหรือได้รับการรับรองชั่วคราว
console-error-registry = ไม่สามารถเพิ่มสถาบันในทะเบียนได้
console-error-rotate = ไม่สามารถเปลี่ยนกุญแจลงนามได้
