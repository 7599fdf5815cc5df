# Country names: see locales/en/countries.ftl.

country-CN = จีน
country-LA = ลาว
country-TH = ไทย
country-MY = มาเลเซีย
country-KH = กัมพูชา
country-GH = กานา
country-ZW = ซิมบับเว
country-BN = บรูไน
country-ID = อินโดนีเซีย
country-MM = เมียนมา
country-PH = ฟิลิปปินส์
country-SG = สิงคโปร์
country-VN = เวียดนาม
country-TL = ติมอร์-เลสเต
