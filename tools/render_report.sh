#!/usr/bin/env bash
# Render hashmix's reports in a real browser and check that they print (issue 26).
#
# Writes the seed example's report and the 40-site fleet's (tests/data/fleet40.csv), prints each
# to PDF with headless Chromium on US Letter (Chromium's default) and on A4 portrait (the same
# HTML with `@page{size:A4}` added), turns each page into a PNG (pdftoppm -r 60) to look at, and
# checks with pdftotext's word boxes that no word lies outside its page, and that the 40-site
# report's body (first page, charts, map, site table, risk reasons and data caveats, up to the
# Scope 1 and 2 section) is at most MAX_BODY_PAGES pages and the whole at most MAX_PAGES.
#
# Needs: chromium (Debian package `chromium`), poppler-utils (pdftoppm, pdftotext, pdfinfo),
# python3. Usage: tools/render_report.sh [OUT_DIR]   (default target/render)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/render}
MAX_PAGES=${MAX_PAGES:-22}
MAX_BODY_PAGES=${MAX_BODY_PAGES:-13}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for tool in "$CHROMIUM" pdftoppm pdftotext pdfinfo python3; do
  command -v "$tool" >/dev/null || { echo "render_report.sh: $tool not found (apt-get install chromium poppler-utils)" >&2; exit 2; }
done
mkdir -p "$OUT"
cargo build --quiet
BIN=target/debug/hashmix

$BIN report examples/seed-sites.csv -q -o "$OUT/seed.html"
$BIN report tests/data/fleet40.csv -q -o "$OUT/fleet40.html" --title "40-site fleet"

print() { # html pdf
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=/tmp/chr-report \
    --no-pdf-header-footer --print-to-pdf="$2" "file://$(realpath "$1")" 2>/dev/null
}

status=0
for name in seed fleet40; do
  sed 's|</style>|@page{size:A4 portrait}</style>|' "$OUT/$name.html" >"$OUT/$name-a4.html"
  for variant in "$name" "$name-a4"; do
    print "$OUT/$variant.html" "$OUT/$variant.pdf"
    rm -f "$OUT/$variant"-*.png
    pdftoppm -png -r 60 "$OUT/$variant.pdf" "$OUT/$variant"
    pdftotext -layout "$OUT/$variant.pdf" "$OUT/$variant.txt"
    pdftotext -bbox "$OUT/$variant.pdf" "$OUT/$variant-bbox.html"
    pages=$(pdfinfo "$OUT/$variant.pdf" | awk '/^Pages:/ {print $2}')
    size=$(pdfinfo "$OUT/$variant.pdf" | awk '/^Page size:/ {print $3 "x" $5 " pt"}')
    # Every word inside its page (pdftotext -bbox gives each page's size and each word's box).
    outside=$(python3 - "$OUT/$variant-bbox.html" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
bad = 0
for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', text, re.S):
    w, h = float(page.group(1)), float(page.group(2))
    for m in re.finditer(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', page.group(3)):
        x0, y0, x1, y1 = map(float, m.groups()[:4])
        if x0 < 0 or y0 < 0 or x1 > w + 0.5 or y1 > h + 0.5:
            bad += 1
            print(f"outside the page: {m.group(5)!r} at {x0:.0f},{y0:.0f}-{x1:.0f},{y1:.0f} on {w:.0f}x{h:.0f}", file=sys.stderr)
print(bad)
PY
)
    # The page where the Scope 1 and 2 section starts ends the body.
    body=$(python3 - "$OUT/$variant.txt" <<'PY'
import sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
print(next((i for i, p in enumerate(pages, 1) if "Scope 1 and 2 (ESRS" in p), len(pages)))
PY
)
    echo "$variant: $pages pages of $size (body to page $body), $outside words outside the page"
    [ "$outside" = 0 ] || status=1
    if [ "$name" = fleet40 ] && { [ "$pages" -gt "$MAX_PAGES" ] || [ "$body" -gt "$MAX_BODY_PAGES" ]; }; then
      echo "$variant: more than $MAX_PAGES pages, or a body of more than $MAX_BODY_PAGES" >&2
      status=1
    fi
  done
done
echo "PNG pages, PDFs and text in $OUT"
exit $status
