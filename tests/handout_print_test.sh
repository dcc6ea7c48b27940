#!/usr/bin/env bash
# Every lesson's handout printed as a teacher prints it: headless Chromium, Letter, no
# transcript appendix (the default). Each must fit a page budget, each world's sequence
# diagram must sit on one page (two worlds: two pages), and no printed text may be smaller
# than 8 pt. A handout with --transcript-appendix must be longer (the appendix is there).
# Usage: handout_print_test.sh MAILSCOPE-CLI LESSONS-DIR [WORK-DIR]
set -uo pipefail
cli=$1 lessons=$2 work=${3:-$(mktemp -d)}
# A teacher prints a lesson for a class: title, the worlds, the steps with their checks, the
# comparison tables, the diagram and the quiz. Eight Letter pages is the most we accept (the
# longest, deleted-mail, has nine steps and a six-app table; two pages are the diagram); before the diagram was
# fitted and the transcript made an appendix, deleted-mail printed 46 pages and quick-resync 57.
budget=${HANDOUT_PAGE_BUDGET:-8}
# pdftotext -bbox gives each word's box; its height is the font size times the font's
# ascent+descent, 1.164 em for DejaVu Sans and DejaVu Sans Mono (the handout's fonts).
# 8 pt text is 9.31 pt high; allow for rounding.
min_height=9.25
mkdir -p "$work"
for tool in chromium pdfinfo pdftotext; do
  command -v $tool >/dev/null || { echo "FAIL: $tool is not installed (scripts/deps.sh test)"; exit 1; }
done
print() {  # html -> pdf on Letter
  sed 's#</style>#@page{size:letter}</style>#' "$1" > "$1.letter.html"
  rm -f "$2"
  chromium --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$2" "file://$1.letter.html" >/dev/null 2>&1
  [ -s "$2" ] || { echo "FAIL: Chromium printed nothing for $1"; return 1; }
}
pages() { pdfinfo "$1" | awk '/^Pages:/{print $2}'; }
fail=0 n=0
for f in "$lessons"/*.json; do
  id=$(basename "$f" .json)
  [ "$id" = course ] && continue
  n=$((n + 1))
  html=$work/$id.html pdf=$work/$id.pdf
  "$cli" export "$f" --html "$html" >/dev/null || { echo "FAIL: $id: export failed"; fail=1; continue; }
  print "$html" "$pdf" || { fail=1; continue; }
  p=$(pages "$pdf")
  # The smallest word box on any page, and what it says.
  small=$(pdftotext -bbox "$pdf" - 2>/dev/null | awk -v min=$min_height '
    match($0, /yMin="[0-9.]+" xMax="[0-9.]+" yMax="[0-9.]+">/) {
      s = substr($0, RSTART, RLENGTH); split(s, v, "\"")
      h = v[6] - v[2]; w = $0; sub(/.*">/, "", w); sub(/<\/word>.*/, "", w)
      if (h < min && (best == "" || h < best)) { best = h; word = w }
    }
    END { if (best != "") printf "%.2f pt high (%.1f pt text): \"%s\"", best, best / 1.164, word }')
  # Each world's diagram on one page: its heading ("POP3 world", "IMAP world" over the
  # lifelines) and its last row, the last step's band, on the same page.
  diagram_pages=$(for ((i = 1; i <= p; i++)); do
    pdftotext -f $i -l $i -layout "$pdf" - 2>/dev/null | grep -c "Step: " | grep -qv '^0$' && echo $i; done | wc -l)
  worlds=$(grep -c '<figure class="sequence">' "$html")
  echo "$id: $p pages (budget $budget), diagram on $diagram_pages page(s) for $worlds world(s)${small:+, smallest text $small}"
  [ "$p" -le "$budget" ] || { echo "FAIL: $id prints $p pages, more than $budget"; fail=1; }
  [ "$diagram_pages" -le "$worlds" ] || { echo "FAIL: $id's diagram runs over $diagram_pages pages"; fail=1; }
  [ -z "$small" ] || { echo "FAIL: $id prints text under 8 pt: $small"; fail=1; }
done
[ "$n" -gt 10 ] || { echo "FAIL: only $n lessons found in $lessons"; fail=1; }
# The appendix, when asked for, is printed: more pages, and the transcript's lines in them.
"$cli" export gmail-pop --html "$work/appendix.html" --transcript-appendix >/dev/null &&
  print "$work/appendix.html" "$work/appendix.pdf" || fail=1
with=$(pages "$work/appendix.pdf") without=$(pages "$work/gmail-pop.pdf")
echo "gmail-pop with the transcript appendix: $with pages, without: $without"
[ "$with" -gt "$without" ] || { echo "FAIL: the appendix added no page"; fail=1; }
# (The text first: with pipefail, grep -q ending a pipe early would fail pdftotext.)
with_text=$(pdftotext "$work/appendix.pdf" - 2>/dev/null) without_text=$(pdftotext "$work/gmail-pop.pdf" - 2>/dev/null)
grep -q "Appendix: transcript" <<<"$with_text" || { echo "FAIL: no appendix heading"; fail=1; }
grep -q "Appendix: transcript" <<<"$without_text" && { echo "FAIL: appendix printed by default"; fail=1; }
[ $fail = 0 ] && echo "PASS: $n handouts within $budget pages, diagrams one page per world, text 8 pt or more"
exit $fail
