# Names of framework levels (see src/i18n/levels.rs and docs/LANGUAGES.md).

# A generic name in the data, "<framework> level <n>": $framework is its short name (MQF), $level the code.
level-generic = { $framework } ระดับ { $level }
# A generic name marked "(example)" in the data: $name is the generic name above.
level-example = { $name } (ตัวอย่าง)

# Levels with a real name, keyed by framework id and level code. English equals the data.
level-CN-1X-intermediate = ระดับกลาง
level-CN-1X-junior = ระดับต้น
level-CN-1X-senior = ระดับสูง
level-CN-VOC-associate = การศึกษาวิชาชีพชั้นสูง ระดับอนุปริญญา
level-CN-VOC-bachelor = การศึกษาวิชาชีพชั้นสูง ระดับปริญญาตรีสายวิชาชีพ
level-CN-VOC-secondary = การศึกษาวิชาชีพระดับมัธยมศึกษา
level-GH-NTVETQF-1 = ใบรับรองความชำนาญระดับชาติ I
level-GH-NTVETQF-2 = ใบรับรองความชำนาญระดับชาติ II
level-GH-NTVETQF-3 = ประกาศนียบัตรระดับชาติ I
level-GH-NTVETQF-4 = ประกาศนียบัตรระดับชาติ II
level-GH-NTVETQF-5 = อนุปริญญาระดับชาติชั้นสูง
level-GH-NTVETQF-6 = ปริญญาตรีเทคโนโลยี
level-GH-NTVETQF-7 = ปริญญาโทเทคโนโลยี
level-GH-NTVETQF-8 = ปริญญาเอกเทคโนโลยี
level-ISCED-2011-0 = การศึกษาปฐมวัย
level-ISCED-2011-1 = การศึกษาระดับประถมศึกษา
level-ISCED-2011-2 = มัธยมศึกษาตอนต้น
level-ISCED-2011-3 = มัธยมศึกษาตอนปลาย
level-ISCED-2011-4 = การศึกษาหลังมัธยมศึกษาที่ไม่ใช่อุดมศึกษา
level-ISCED-2011-5 = อุดมศึกษาระยะสั้น
level-ISCED-2011-6 = ปริญญาตรีหรือเทียบเท่า
level-ISCED-2011-7 = ปริญญาโทหรือเทียบเท่า
level-ISCED-2011-8 = ปริญญาเอกหรือเทียบเท่า
level-LA-NVQF-1 = ประกาศนียบัตร I
level-LA-NVQF-2 = ประกาศนียบัตร II
level-LA-NVQF-3 = ประกาศนียบัตร III
level-LA-NVQF-4 = อนุปริญญา
level-LA-NVQF-5 = อนุปริญญาชั้นสูง
level-MY-SKM-4 = ประกาศนียบัตรทักษะมาเลเซีย (DKM)
level-MY-SKM-5 = ประกาศนียบัตรทักษะขั้นสูงมาเลเซีย (DLKM)
level-SZ-Agreement-T1 = ขั้น 1 (ตัวอย่าง): ทักษะพื้นฐาน
level-SZ-Agreement-T2 = ขั้น 2 (ตัวอย่าง): แรงงานฝีมือ
level-SZ-Agreement-T3 = ขั้น 3 (ตัวอย่าง): ช่างเทคนิค
level-SZ-Agreement-T4 = ขั้น 4 (ตัวอย่าง): ผู้เชี่ยวชาญประยุกต์
level-SZ-Agreement-T5 = ขั้น 5 (ตัวอย่าง): ผู้เชี่ยวชาญขั้นสูง
level-TH-TQF-1 = อนุปริญญา
level-TH-TQF-2 = ปริญญาตรี
level-TH-TQF-3 = ประกาศนียบัตรบัณฑิต
level-TH-TQF-4 = ปริญญาโท
level-TH-TQF-5 = ประกาศนียบัตรบัณฑิตชั้นสูง
level-TH-TQF-6 = ปริญญาเอก
level-TH-VOC-certificate = ประกาศนียบัตรวิชาชีพ (ปวช.)
level-TH-VOC-diploma = ประกาศนียบัตรวิชาชีพชั้นสูง (ปวส.)
level-TH-VOC-higher-diploma = ประกาศนียบัตรชั้นสูง
level-ZNQF-1 = ประกาศนียบัตรระดับประถม
level-ZNQF-10 = ปริญญาเอก
level-ZNQF-9 = ปริญญาโท
