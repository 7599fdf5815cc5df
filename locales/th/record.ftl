# ปัญหาที่การตรวจระเบียนพบ (src/i18n/record.rs) บนแบบฟอร์มออกเอกสารและตารางแถวที่ผิดของไฟล์ที่อัปโหลด
# ค่า รหัส และรายการรหัส ($value, $levels, $frameworks, $allowed, $forms) เป็นข้อมูล ใส่ตามที่เป็น

## The record schema
record-required = ยังไม่ได้กรอก ซึ่งจำเป็นต้องมี
record-not-allowed = ไม่ใช่ช่องข้อมูลที่ใช้ได้ในตำแหน่งนี้
record-not-one-of = { $value } ไม่ใช่ค่าใดค่าหนึ่งใน { $allowed }
record-not-in-list = { $value } ไม่อยู่ในรายการรหัสที่ใช้ได้ { $count } รหัส
record-one-of = ต้องเป็นรูปแบบใดรูปแบบหนึ่งเท่านั้น: { $forms }
record-more-than-one = ตรงกับรูปแบบมากกว่าหนึ่งแบบ: { $forms }
record-blank = ต้องไม่ว่างหรือมีแต่ช่องว่าง
record-spaces-around = { $value } ต้องไม่ว่าง และต้องไม่ขึ้นต้นหรือลงท้ายด้วยช่องว่าง
record-ascii-word = { $value } ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข และเครื่องหมาย ASCII โดยไม่มีช่องว่าง
record-country-code = { $value } ไม่ใช่รหัสประเทศ ISO 3166 สองตัวอักษรพิมพ์ใหญ่ เช่น CN, MY หรือ TH
record-web-address = { $value } ไม่ใช่ที่อยู่เว็บที่ขึ้นต้นด้วย https:// (หรือ http://) เช่น https://www.example.edu/
record-did = { $value } ไม่ใช่ DID (เช่น did:key:z6Mk…)
record-absolute-address = { $value } ไม่ใช่ที่อยู่แบบเต็ม เช่น https://… หรือ urn:… และต้องไม่มีช่องว่าง
record-date-time = { $value } ไม่ใช่วันที่ (2025-07-11) หรือวันที่และเวลาพร้อมเขตเวลา (2025-07-11T16:30:00+08:00)
record-isced-code = { $value } ไม่ใช่รหัสตัวเลข 2 ถึง 4 หลัก
record-single-word = { $value } ไม่ใช่คำเดียว (ใช้ตัวอักษร ตัวเลข '.', '_' หรือ '-' ได้ ประเภทที่กำหนดเองขึ้นต้นด้วย ext:)
record-language-tag = { $value } ไม่ใช่รหัสภาษา เช่น th, km, zh-Hans หรือ pt-BR
record-short-code = { $value } ไม่ใช่รหัสสั้น (ตัวอักษร ตัวเลข '.', '_' หรือ '-' ขึ้นต้นด้วยตัวอักษรหรือตัวเลข ยาวไม่เกิน 32 ตัว)
record-form = { $value } ไม่อยู่ในรูปแบบที่กำหนด
record-date = { $value } ไม่ใช่วันที่ เช่น 2025-07-11
record-full-address = { $value } ไม่ใช่ที่อยู่แบบเต็ม เช่น https://www.example.edu/
record-email = { $value } ไม่ใช่ที่อยู่อีเมล
record-format = { $value } ไม่ใช่ { $format } ที่ถูกต้อง
record-type = ต้องเป็น{ $type ->
    [string] ข้อความ
    [number] ตัวเลข
    [integer] จำนวนเต็ม
    [boolean] true หรือ false
    [object] ออบเจกต์ {"{"}…{"}"}
    [array] รายการ […]
   *[other] { $type }
}
record-minimum = { $value } น้อยกว่าค่าต่ำสุดที่ใช้ได้ คือ { $limit }
record-exclusive-minimum = { $value } ต้องมากกว่า { $limit }
record-too-short = { $limit ->
    [1] ต้องไม่ว่าง
   *[other] ต้องยาวอย่างน้อย { $limit } ตัวอักษร
}
record-too-long = ต้องยาวไม่เกิน { $limit } ตัวอักษร
record-too-few = { $limit ->
    [1] ต้องมีอย่างน้อยหนึ่งรายการ
   *[other] ต้องมีอย่างน้อย { $limit } รายการ
}
record-too-many = ต้องมีไม่เกิน { $limit } รายการ

## The framework data and the rules across fields
record-framework-unknown = ระบบไม่รู้จักกรอบคุณวุฒิ `{ $framework }` กรอบคุณวุฒิที่มีคือ: { $frameworks }
record-framework-unknown-like = ระบบไม่รู้จักกรอบคุณวุฒิ `{ $framework }` (รหัสต้องตรงตัวพิมพ์ใหญ่-เล็ก หมายถึง { $like } หรือไม่) กรอบคุณวุฒิที่มีคือ: { $frameworks }
record-level-unknown = `{ $code }` ไม่ใช่ระดับของกรอบคุณวุฒิ { $framework } ระดับที่มีคือ: { $levels }
record-level-unknown-like = `{ $code }` ไม่ใช่ระดับของกรอบคุณวุฒิ { $framework } (รหัสต้องตรงตัวพิมพ์ใหญ่-เล็ก หมายถึง { $like } หรือไม่) ระดับที่มีคือ: { $levels }
record-decimals = มีทศนิยมเกินสองตำแหน่ง
record-duplicate-outcome-code = รหัสผลลัพธ์การเรียนรู้ "{ $code }" ซ้ำกัน
record-not-after-award = ต้องเป็นวันที่หลังวันที่ได้รับ (awardedDate)

## The batch file's rows
record-row-cells = แถวนี้มี { $cells } ช่อง แต่แถวหัวตารางมี { $header } ช่อง
record-cell-not-utf8 = ช่องที่ { $cell } ไม่ใช่ข้อความ UTF-8
record-row-too-long = แถวนี้ยาว { $bytes } ไบต์ แต่แถวหนึ่งยาวได้ไม่เกิน { $max } ไบต์
record-duplicate-record-id = รหัสระเบียน (recordId) "{ $id }" มีอยู่แล้วในแถวที่ { $row } ของไฟล์นี้
record-outcome-count = { $column } มี { $count } ข้อความ แต่ outcomes มี { $outcomes } ผลลัพธ์ เขียนหนึ่งข้อความต่อหนึ่งผลลัพธ์ เรียงตามลำดับเดียวกัน คั่นด้วย ;
