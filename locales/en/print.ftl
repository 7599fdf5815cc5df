# The printable certificate (/credentials/{id}/certificate) and the badge image
# (/credentials/{id}/badge.svg). Values from the credential are inserted isolated.

# The page's title. $achievement: the achievement's name.
print-title = Certificate: { $achievement }
print-heading = Certificate
print-awarded-to = This certifies that
print-has-achieved = has achieved
# $date: a day (date-long).
print-awarded-on = Awarded on { $date }
print-verify-title = Check this certificate
print-verify-text = Scan the code or open the address below: it shows whether the signed credential behind this paper is genuine and still valid today.
print-qr-alt = QR code of the credential's verification page
# On screen only, above the sheet.
print-hint = Print this page on A4 (one page).
print-linkedin = Add to LinkedIn profile
# When the credential does not say.
print-not-stated = (not stated)
# A level of a qualifications framework, on the certificate and the badge. $framework: its id (EQF, ISCED-2011); $code: the level.
print-level = { $framework } level { $code }

# The certificate's address when there is no certificate to show.
print-not-found-title = No such certificate
print-not-found-text = No credential on this service has this address. Check the address, or ask the person who gave it to you for the certificate's QR code.
print-failed-title = The certificate could not be made
print-failed-text = Something went wrong on this service. Please try again in a few minutes.
