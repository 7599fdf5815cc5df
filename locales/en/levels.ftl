# Names of framework levels (see src/i18n/levels.rs and docs/LANGUAGES.md).

# A generic name in the data, "<framework> level <n>": $framework is its short name (MQF), $level the code.
level-generic = { $framework } level { $level }
# A generic name marked "(example)" in the data: $name is the generic name above.
level-example = { $name } (example)

# Levels with a real name, keyed by framework id and level code. English equals the data.
level-CN-1X-intermediate = Intermediate (zhongji)
level-CN-1X-junior = Junior (chuji)
level-CN-1X-senior = Senior (gaoji)
level-CN-VOC-associate = Higher vocational education, associate level
level-CN-VOC-bachelor = Higher vocational education, vocational bachelor
level-CN-VOC-secondary = Secondary vocational education
level-GH-NTVETQF-1 = National Proficiency I
level-GH-NTVETQF-2 = National Proficiency II
level-GH-NTVETQF-3 = National Certificate I
level-GH-NTVETQF-4 = National Certificate II
level-GH-NTVETQF-5 = Higher National Diploma
level-GH-NTVETQF-6 = Bachelor of Technology
level-GH-NTVETQF-7 = Master of Technology
level-GH-NTVETQF-8 = Doctor of Technology
level-ISCED-2011-0 = Early childhood education
level-ISCED-2011-1 = Primary education
level-ISCED-2011-2 = Lower secondary education
level-ISCED-2011-3 = Upper secondary education
level-ISCED-2011-4 = Post-secondary non-tertiary education
level-ISCED-2011-5 = Short-cycle tertiary education
level-ISCED-2011-6 = Bachelor's or equivalent level
level-ISCED-2011-7 = Master's or equivalent level
level-ISCED-2011-8 = Doctoral or equivalent level
level-LA-NVQF-1 = Certificate I
level-LA-NVQF-2 = Certificate II
level-LA-NVQF-3 = Certificate III
level-LA-NVQF-4 = Diploma
level-LA-NVQF-5 = High Diploma
level-MY-SKM-4 = DKM (Diploma Kemahiran Malaysia)
level-MY-SKM-5 = DLKM (Diploma Lanjutan Kemahiran Malaysia)
level-SZ-Agreement-T1 = Tier 1 (example): foundation skills
level-SZ-Agreement-T2 = Tier 2 (example): skilled worker
level-SZ-Agreement-T3 = Tier 3 (example): technician
level-SZ-Agreement-T4 = Tier 4 (example): applied professional
level-SZ-Agreement-T5 = Tier 5 (example): advanced professional
level-TH-TQF-1 = Advanced Diploma
level-TH-TQF-2 = Bachelor's degree
level-TH-TQF-3 = Graduate Diploma
level-TH-TQF-4 = Master's degree
level-TH-TQF-5 = Higher Graduate Diploma
level-TH-TQF-6 = Doctoral degree
level-TH-VOC-certificate = Certificate in Vocational Education
level-TH-VOC-diploma = Diploma in Vocational Education
level-TH-VOC-higher-diploma = Higher Diploma
level-ZNQF-1 = Primary Level Certificate
level-ZNQF-10 = Doctorate
level-ZNQF-9 = Masters
