/**
 * The printed report's style sheet: A4 portrait, black text that survives a black-and-white printer
 * (status is always a word, colour only repeats it), table headers repeated on each page, no check or
 * signature box split across pages when it fits on one. System fonts only: the file loads nothing.
 */
export const reportCss = `
@page { size: A4 portrait; margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 184mm; padding: 8mm 0; font: 9.5pt/1.35 "DejaVu Sans", "Liberation Sans",
  Arial, Helvetica, sans-serif; color: #111; background: #fff; overflow-wrap: anywhere; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 18pt; margin: 0; letter-spacing: 0.01em; }
h2 { font-size: 11.5pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 0.4mm solid #111;
  break-after: avoid-page; }
h3 { font-size: 10pt; margin: 0 0 1mm; }
p { margin: 0 0 1.5mm; }
code { font: 8.5pt "DejaVu Sans Mono", "Liberation Mono", monospace; }
.head { display: flex; justify-content: space-between; align-items: flex-start; gap: 6mm;
  border-bottom: 0.8mm solid #111; padding-bottom: 3mm; }
.head > div:first-child { flex: 1; }
.sub { color: #444; margin-top: 1mm; }
.verdict { border: 0.6mm solid #111; padding: 2mm 4mm; font-weight: 700; font-size: 12pt; text-align: center;
  flex: 0 0 68mm; }
.verdict small { display: block; font-weight: 400; font-size: 8pt; margin-top: 1mm; }
.v-accepted { background: #dff3e4; }
.v-accepted_with_reservations { background: #fff4cf; }
.v-not_accepted { background: #fbdcdc; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 1mm 1.5mm; border-bottom: 0.2mm solid #bbb; }
th { font-size: 8.5pt; background: #eee; }
.facts th { width: 40mm; background: none; font-weight: 600; }
.counts td { text-align: center; font-size: 11pt; font-weight: 700; border: 0.3mm solid #999; }
.counts td span { display: block; font-size: 8pt; font-weight: 400; }
.check { border: 0.3mm solid #999; border-left-width: 1.6mm; padding: 2mm 3mm; margin: 0 0 2.5mm;
  break-inside: avoid-page; }
.check table { margin-top: 1mm; font-size: 8.5pt; }
.check td.obs { white-space: pre-wrap; }
.s-pass { border-left-color: #2e7d43; }
.s-fail { border-left-color: #b3261e; }
.s-unknown { border-left-color: #a06a00; }
.badge { display: inline-block; min-width: 17mm; text-align: center; font-size: 8pt; font-weight: 700;
  padding: 0.3mm 1.5mm; margin-right: 1.5mm; border: 0.3mm solid #111; }
.b-pass, .b-ok, .b-compliant { background: #dff3e4; }
.b-fail, .b-mismatch { background: #fbdcdc; }
.b-unknown, .b-not_reported, .b-no_expectation { background: #fff4cf; }
.note { color: #444; font-size: 8.5pt; }
.nowrap { white-space: nowrap; }
td .badge { min-width: 0; margin: 0; }
td.mono, td .mono { font-size: 7.5pt; }
.mono { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt; }
.sign { display: flex; gap: 6mm; break-inside: avoid-page; margin-top: 2mm; }
.sign > div { flex: 1; border: 0.4mm solid #111; padding: 3mm; }
.sign h3 { margin-bottom: 3mm; }
.field { display: flex; align-items: flex-end; gap: 2mm; margin: 0 0 4mm; }
.field span { width: 30mm; font-size: 8.5pt; color: #333; }
.field div { flex: 1; border-bottom: 0.3mm solid #111; min-height: 6mm; }
.field.tall div { min-height: 22mm; }
.signing { break-inside: avoid-page; }
footer { margin-top: 6mm; padding-top: 2mm; border-top: 0.2mm solid #999; color: #555; font-size: 7.5pt; }
`;
