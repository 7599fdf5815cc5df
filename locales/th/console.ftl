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

## Issue and upload
console-nav-issue = ออกทีละฉบับ
console-nav-upload = อัปโหลด CSV
console-issue-title = ออกเอกสารรับรองหนึ่งฉบับ
console-issue-intro = กรอกระเบียนของผู้เรียน เอกสารรับรองจะลงนามในนามสถาบันของคุณทันทีที่กดปุ่ม
console-issue-record-id = รหัสระเบียน
console-issue-record-id-help = รหัสที่สถาบันของคุณใช้เรียกระเบียนนี้ รหัสระเบียนเดียวกันจะไม่ถูกออกซ้ำ จึงไม่เป็นไรหากส่งแบบฟอร์มนี้อีกครั้ง
console-issue-learner-name = ชื่อ-นามสกุลของผู้เรียน
console-issue-student-number = รหัสนักศึกษา
console-issue-achievement = ผลสัมฤทธิ์ (รายวิชาหรือคุณวุฒิ)
console-issue-description = สิ่งที่ผู้เรียนทำได้สำเร็จ
console-issue-criteria = วิธีการประเมิน
console-issue-outcomes = ผลลัพธ์การเรียนรู้
console-issue-outcomes-help = บรรทัดละหนึ่งข้อ หากต้องการใส่รหัส ให้เขียนรหัสก่อนแล้วตามด้วยขีดตั้ง: NEV-1 | ตัดแยกระบบไฟฟ้าแรงสูง
console-issue-field = สาขาวิชา (ISCED-F 2013)
console-issue-level = ระดับ
console-issue-credits = หน่วยกิต
console-issue-credit-system = ระบบหน่วยกิต
console-issue-hours = ชั่วโมงการเรียนรู้
console-issue-awarded = วันที่ได้รับ
console-issue-valid-until = ใช้ได้ถึง (ไม่บังคับ)
console-issue-choose = เลือก…
console-issue-submit = ออกเอกสารรับรอง
console-issue-failed = ยังไม่ได้ออกเอกสารรับรอง โปรดแก้ไขช่องที่ทำเครื่องหมายไว้ด้านล่าง
console-issue-required = โปรดกรอกช่องนี้
console-issue-number = กรอกเป็นตัวเลข เช่น 3 หรือ 1.5
console-issue-date = กรอกวันที่ในรูปแบบ ปี-เดือน-วัน (ค.ศ.) เช่น 2025-07-11
console-issue-bad-record-id = ใช้ตัวอักษร ตัวเลข และเครื่องหมายเช่น - หรือ _ โดยไม่มีช่องว่าง (ไม่เกิน 128 ตัวอักษร)
console-issue-exists = มีเอกสารรับรองที่ออกด้วยรหัสระเบียนนี้แล้ว
console-issue-see-existing = เปิดดู
console-upload-title = อัปโหลดไฟล์ CSV ของระเบียน
console-upload-intro = แต่ละแถวในไฟล์จะกลายเป็นเอกสารรับรองหนึ่งฉบับ เริ่มจากแม่แบบ ซึ่งมีครบทุกคอลัมน์และตัวอย่างสองแถว
console-upload-template = ดาวน์โหลดแม่แบบ (CSV)
console-upload-file = ไฟล์ CSV
console-upload-submit = อัปโหลดและออกเอกสาร
console-upload-limits = ไม่เกิน { $rows } แถวและ { $megabytes } MB ต่อไฟล์ ทุกแถวต้องมีรหัสระเบียน การรันไฟล์ซ้ำจึงไม่ออกแถวใดซ้ำ
console-upload-recent = การอัปโหลดล่าสุด
console-upload-none = ยังไม่มีการอัปโหลด
console-upload-forgotten = รายการนี้และหน้าความคืบหน้าจะเก็บไว้จนกว่าบริการจะเริ่มใหม่เท่านั้น ส่วนเอกสารรับรองถูกบันทึกไว้ทันทีที่ออก
console-upload-job = การอัปโหลด: { $name }
console-upload-by = อัปโหลดโดย { $who } เมื่อ { $when }
console-upload-progress = ดำเนินการแล้ว { $done } จาก { $total } แถว
console-upload-running = กำลังออกเอกสาร… หน้านี้จะรีเฟรชเอง
console-upload-finished = เสร็จแล้ว
console-upload-issued = ออกแล้ว
console-upload-existing = ออกไว้ก่อนหน้านี้แล้ว
console-upload-failed = ไม่ได้ออก
console-upload-errors = แถวที่ไม่ได้ออก
console-upload-col-row = แถว
console-upload-col-field = คอลัมน์
console-upload-col-problem = ปัญหา
console-upload-no-record-id = แถวนี้ไม่มีรหัสระเบียน โปรดเพิ่มรหัส เพื่อไม่ให้การรันไฟล์ซ้ำออกแถวนี้ซ้ำ
console-upload-fix = แก้ไขแล้วรันอีกครั้ง
console-upload-fix-help = ดาวน์โหลดแถวที่ไม่ได้ออก แก้ไข แล้วอัปโหลดไฟล์นั้น หรือแก้ไขที่นี่ แถวที่ออกแล้วจะไม่ถูกออกซ้ำ
console-upload-download-failed = ดาวน์โหลดแถวที่ไม่ได้ออก (CSV)
console-upload-rows = แถวที่ไม่ได้ออก
console-upload-rerun = รันแถวเหล่านี้อีกครั้ง
console-upload-fixed-name = { $name } (แก้ไขแล้ว)
console-upload-done-rows = แถวที่ออกแล้ว
console-upload-open = เปิด
console-error-upload-size = ไฟล์ใหญ่เกินไป: รับได้ไม่เกิน { $megabytes } MB
console-error-upload-rows = ไฟล์มี { $rows } แถว แต่รับได้ครั้งละไม่เกิน { $max } แถว โปรดแบ่งเป็นไฟล์ที่เล็กลง
console-error-upload-empty = ไฟล์มีแถวหัวตาราง แต่ไม่มีระเบียนอยู่ด้านล่าง
console-error-upload-none = เลือกไฟล์ CSV ที่จะอัปโหลด
console-error-upload-header = แถวแรกของไฟล์ไม่ได้ระบุชื่อคอลัมน์ตามแม่แบบ
console-error-upload-busy = มีการอัปโหลดที่ยังทำงานอยู่มากเกินไป โปรดรอให้เสร็จสักรายการ
console-error-upload-not-found = ไม่พบการอัปโหลดนี้ในสถาบันของคุณ รายการอัปโหลดจะหายไปเมื่อบริการเริ่มใหม่ แต่เอกสารรับรองไม่หาย

## Claim sheet and operator

console-achievement-any = ทุกผลสัมฤทธิ์
console-issued-from = ออกตั้งแต่วันที่
console-issued-to = ออกถึงวันที่
console-page-previous = ← หน้าก่อนหน้า
console-page-next = หน้าถัดไป →
console-page-of = หน้า { $page } จาก { $pages }
console-sheet-explain = ใบรับเอกสาร: ทำเครื่องหมายผู้เรียน หรือเลือกทั้งหมดที่พบ เพื่อพิมพ์ใบย่อยให้แต่ละคน พร้อมคิวอาร์โค้ดและรหัสใช้ครั้งเดียวสำหรับรับเอกสารรับรองเข้าวอลเล็ตของผู้เรียน ทุกครั้งที่สร้างใบรับเอกสารจะได้รหัสใหม่ ใบย่อยที่พิมพ์ไว้ก่อนสำหรับเอกสารรับรองเดียวกันจะใช้ไม่ได้อีก
console-sheet-ticked = สร้างใบรับเอกสารสำหรับผู้เรียนที่เลือก
console-sheet-all = { $n ->
    [one] สร้างใบรับเอกสารสำหรับรายการที่พบ 1 รายการ
   *[other] สร้างใบรับเอกสารสำหรับทั้ง { $n } รายการที่พบ
}
console-sheet-pick = ใส่ในใบรับเอกสาร
console-sheet-title = ใบรับเอกสาร
console-sheet-made = { $n ->
    [0] ไม่มีใบย่อย: เอกสารรับรองที่เลือกไม่มีรายการใดรับได้ในขณะนี้
   *[other] ใบย่อย { $n } ใบพร้อมพิมพ์แล้ว
}
console-sheet-print = โปรดพิมพ์หน้านี้ทันที (ใช้คำสั่งพิมพ์ของเบราว์เซอร์ กระดาษ A4 หน้าละสี่ใบ) แล้วตัดตามเส้นประ รหัสใช้ครั้งเดียวแสดงเฉพาะในหน้านี้ หากโหลดหน้านี้ใหม่ ระบบจะสร้างรหัสใหม่ และใบย่อยที่พิมพ์ไว้ก่อนจะใช้ไม่ได้
console-sheet-replaced = ถอนข้อเสนอรับเอกสารเดิม { $n } รายการแล้ว: ใบย่อยที่พิมพ์ไว้ก่อนสำหรับเอกสารรับรองเดียวกันใช้ไม่ได้อีกต่อไป
console-sheet-skipped = ไม่อยู่ในใบรับเอกสารนี้
console-skip-claimed = ผู้เรียนรับเข้าวอลเล็ตแล้ว
console-skip-revoked = ถูกเพิกถอนแล้ว จึงรับไม่ได้
console-skip-refused = เสนอให้รับไม่ได้
console-slip-qr = คิวอาร์โค้ดของลิงก์รับเอกสาร
console-slip-step-scan = สแกนคิวอาร์โค้ดด้วยกล้องโทรศัพท์ หรือพิมพ์ลิงก์ด้านล่างในเบราว์เซอร์
console-slip-step-code = เมื่อระบบถาม ให้กรอกรหัสใช้ครั้งเดียวของคุณ
console-slip-code = รหัสใช้ครั้งเดียว
console-slip-link = ลิงก์
console-slip-by = โปรดรับภายใน { $date }
console-slip-private = เก็บใบนี้ไว้กับตัว อย่าให้ผู้อื่น: ใครก็ตามที่มีใบนี้สามารถรับเอกสารรับรองของคุณได้
console-error-sheet-empty = โปรดเลือกผู้เรียนอย่างน้อยหนึ่งคนสำหรับใบรับเอกสาร
console-error-sheet-large = ใบรับเอกสารหนึ่งชุดรองรับผู้เรียนได้ไม่เกิน { $max } คน แต่การค้นหานี้พบ { $n } คน โปรดจำกัดการค้นหา (ตามผลสัมฤทธิ์หรือวันที่ออก) แล้วสร้างหลายชุด

console-register-heading = ลงทะเบียนสถาบัน
console-register-id = รหัสย่อ (อักษรอังกฤษตัวเล็ก ตัวเลข - และ _ ใช้ในที่อยู่เว็บ)
console-register-name = ชื่อ
console-register-country = ประเทศ (รหัสสองตัวอักษร เช่น MY, TH, CN)
console-register-url = ที่อยู่เว็บไซต์ (ไม่บังคับ, https://…)
console-register-framework = กรอบคุณวุฒิ (เช่น MQF, CN-VOC)
console-register-did = ตัวระบุ (DID)
console-register-did-key = did:key: กุญแจคือตัวระบุ ง่ายที่สุด แต่เปลี่ยนกุญแจไม่ได้เลย
console-register-did-web = did:web ภายใต้ที่อยู่ของโหนดนี้: เปลี่ยนกุญแจลงนามได้ภายหลัง
console-register-registry = เพิ่มในทะเบียนของพันธมิตรทันที
console-register-unlisted-hint = หากไม่อยู่ในทะเบียนของพันธมิตร นายจ้างจะเห็นเอกสารรับรองของสถาบันนี้เป็น "ไม่ทราบผู้ออก" จนกว่าจะได้รับการเพิ่ม
console-register-submit = ลงทะเบียน
console-registered-heading = ลงทะเบียน { $name } แล้ว
console-registered-did = DID
console-registered-token = โทเค็น API
console-registered-token-once = โทเค็น API แสดงเพียงครั้งนี้ครั้งเดียว โปรดคัดลอกทันทีและส่งให้นักพัฒนาของสถาบันผ่านช่องทางที่ปลอดภัย หากทำหาย ผู้ดูแลโหนดสามารถสร้างโทเค็นใหม่ผ่าน API สำหรับผู้ดูแล แล้วโทเค็นเดิมจะใช้ไม่ได้
console-registered-listed = สถาบันนี้อยู่ในทะเบียนของพันธมิตร: นายจ้างเห็นเอกสารรับรองของสถาบันว่ามาจากผู้ออกที่รู้จัก
console-registered-unlisted = สถาบันนี้ยังไม่อยู่ในทะเบียนของพันธมิตร: นายจ้างจะเห็นเอกสารรับรองของสถาบันเป็น "ไม่ทราบผู้ออก" จนกว่าจะได้รับการเพิ่ม
console-error-register = ลงทะเบียนสถาบันไม่สำเร็จ
console-error-register-id = รหัสย่อมีได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข - และ _ และต้องขึ้นต้นด้วยตัวอักษรหรือตัวเลข (ไม่เกิน 64 ตัว)
console-error-register-framework = โปรดระบุกรอบคุณวุฒิที่สถาบันใช้มอบคุณวุฒิ
