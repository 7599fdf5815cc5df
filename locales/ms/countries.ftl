# Country names: see locales/en/countries.ftl.

country-CN = China
country-LA = Laos
country-TH = Thailand
country-MY = Malaysia
country-KH = Kemboja
country-GH = Ghana
country-ZW = Zimbabwe
country-BN = Brunei
country-ID = Indonesia
country-MM = Myanmar
country-PH = Filipina
country-SG = Singapura
country-VN = Vietnam
country-TL = Timor-Leste
