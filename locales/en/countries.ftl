# Country names (ISO 3166-1 alpha-2 codes, upper case): the alliance's countries (CN, LA, TH, MY,
# KH, GH, ZW: every country of the frameworks data) and the rest of ASEAN. Codes without a
# message here are shown with their English name (src/i18n/countries.rs), else as the code.

country-CN = China
country-LA = Laos
country-TH = Thailand
country-MY = Malaysia
country-KH = Cambodia
country-GH = Ghana
country-ZW = Zimbabwe
country-BN = Brunei
country-ID = Indonesia
country-MM = Myanmar
country-PH = Philippines
country-SG = Singapore
country-VN = Viet Nam
country-TL = Timor-Leste
