# Names of framework levels (see src/i18n/levels.rs and docs/LANGUAGES.md).

# A generic name in the data, "<framework> level <n>": $framework is its short name (MQF), $level the code.
level-generic = { $framework } កម្រិត { $level }
# A generic name marked "(example)" in the data: $name is the generic name above.
level-example = { $name } (ឧទាហរណ៍)

# Levels with a real name, keyed by framework id and level code. English equals the data.
level-CN-1X-intermediate = កម្រិតមធ្យម
level-CN-1X-junior = កម្រិតដំបូង
level-CN-1X-senior = កម្រិតខ្ពស់
level-CN-VOC-associate = ការអប់រំវិជ្ជាជីវៈកម្រិតឧត្តម កម្រិតបរិញ្ញាបត្ររង
level-CN-VOC-bachelor = ការអប់រំវិជ្ជាជីវៈកម្រិតឧត្តម បរិញ្ញាបត្រវិជ្ជាជីវៈ
level-CN-VOC-secondary = ការអប់រំវិជ្ជាជីវៈកម្រិតមធ្យមសិក្សា
level-GH-NTVETQF-1 = ជំនាញថ្នាក់ជាតិ I
level-GH-NTVETQF-2 = ជំនាញថ្នាក់ជាតិ II
level-GH-NTVETQF-3 = វិញ្ញាបនបត្រថ្នាក់ជាតិ I
level-GH-NTVETQF-4 = វិញ្ញាបនបត្រថ្នាក់ជាតិ II
level-GH-NTVETQF-5 = សញ្ញាបត្រថ្នាក់ជាតិជាន់ខ្ពស់
level-GH-NTVETQF-6 = បរិញ្ញាបត្របច្ចេកវិទ្យា
level-GH-NTVETQF-7 = អនុបណ្ឌិតបច្ចេកវិទ្យា
level-GH-NTVETQF-8 = បណ្ឌិតបច្ចេកវិទ្យា
level-ISCED-2011-0 = ការអប់រំកុមារតូច
level-ISCED-2011-1 = ការអប់រំបឋមសិក្សា
level-ISCED-2011-2 = មធ្យមសិក្សាបឋមភូមិ
level-ISCED-2011-3 = មធ្យមសិក្សាទុតិយភូមិ
level-ISCED-2011-4 = ការអប់រំក្រោយមធ្យមសិក្សាមិនមែនឧត្តមសិក្សា
level-ISCED-2011-5 = ឧត្តមសិក្សារយៈពេលខ្លី
level-ISCED-2011-6 = បរិញ្ញាបត្រ ឬស្មើ
level-ISCED-2011-7 = អនុបណ្ឌិត ឬស្មើ
level-ISCED-2011-8 = បណ្ឌិត ឬស្មើ
level-LA-NVQF-1 = វិញ្ញាបនបត្រ I
level-LA-NVQF-2 = វិញ្ញាបនបត្រ II
level-LA-NVQF-3 = វិញ្ញាបនបត្រ III
level-LA-NVQF-4 = សញ្ញាបត្រ
level-LA-NVQF-5 = សញ្ញាបត្រជាន់ខ្ពស់
level-MY-SKM-4 = សញ្ញាបត្រជំនាញម៉ាឡេស៊ី (DKM)
level-MY-SKM-5 = សញ្ញាបត្រជំនាញជាន់ខ្ពស់ម៉ាឡេស៊ី (DLKM)
level-SZ-Agreement-T1 = ថ្នាក់ 1 (ឧទាហរណ៍)៖ ជំនាញមូលដ្ឋាន
level-SZ-Agreement-T2 = ថ្នាក់ 2 (ឧទាហរណ៍)៖ កម្មករជំនាញ
level-SZ-Agreement-T3 = ថ្នាក់ 3 (ឧទាហរណ៍)៖ អ្នកបច្ចេកទេស
level-SZ-Agreement-T4 = ថ្នាក់ 4 (ឧទាហរណ៍)៖ អ្នកជំនាញអនុវត្ត
level-SZ-Agreement-T5 = ថ្នាក់ 5 (ឧទាហរណ៍)៖ អ្នកជំនាញកម្រិតខ្ពស់
level-TH-TQF-1 = សញ្ញាបត្រជាន់ខ្ពស់
level-TH-TQF-2 = បរិញ្ញាបត្រ
level-TH-TQF-3 = សញ្ញាបត្រក្រោយបរិញ្ញាបត្រ
level-TH-TQF-4 = អនុបណ្ឌិត
level-TH-TQF-5 = សញ្ញាបត្រក្រោយអនុបណ្ឌិត
level-TH-TQF-6 = បណ្ឌិត
level-TH-VOC-certificate = វិញ្ញាបនបត្រអប់រំវិជ្ជាជីវៈ
level-TH-VOC-diploma = សញ្ញាបត្រអប់រំវិជ្ជាជីវៈ
level-TH-VOC-higher-diploma = សញ្ញាបត្រជាន់ខ្ពស់
level-ZNQF-1 = វិញ្ញាបនបត្រកម្រិតបឋម
level-ZNQF-10 = បណ្ឌិត
level-ZNQF-9 = អនុបណ្ឌិត
