# វិញ្ញាបនបត្រសម្រាប់បោះពុម្ព និងរូបភាពផ្លាកសញ្ញា (មើល locales/en/print.ftl)។

print-title = វិញ្ញាបនបត្រ៖ { $achievement }
print-heading = វិញ្ញាបនបត្រ
print-awarded-to = សូមបញ្ជាក់ថា
print-has-achieved = បានសម្រេច
print-awarded-on = ប្រគល់ជូននៅថ្ងៃទី { $date }
print-verify-title = ពិនិត្យវិញ្ញាបនបត្រនេះ
print-verify-text = ស្កេនកូដ ឬបើកអាសយដ្ឋានខាងក្រោម៖ វាបង្ហាញថាតើលិខិតបញ្ជាក់ដែលមានហត្ថលេខាឌីជីថលនៅពីក្រោយក្រដាសនេះជារបស់ពិត និងនៅមានសុពលភាពនៅថ្ងៃនេះឬទេ។
print-qr-alt = កូដ QR នៃទំព័រផ្ទៀងផ្ទាត់លិខិតបញ្ជាក់
print-hint = បោះពុម្ពទំព័រនេះលើក្រដាស A4 (មួយទំព័រ)។
print-linkedin = បន្ថែមទៅប្រវត្តិរូប LinkedIn
print-not-stated = (មិនបានបញ្ជាក់)
print-level = { $framework } កម្រិត { $code }
