#!/usr/bin/env bash
# Renders report.html in headless Chromium and checks that it loads without a console message
# (the page has no script, and its content security policy turns any fetch into a console error),
# and that every chart and every table is present and not empty.
#
#   scripts/report-check.sh                     # makes a short report first (debug build, ~2 min)
#   scripts/report-check.sh DIR/report.html     # checks an existing report (a full run's: every family)
#   SCREENSHOT=docs/compare/report.png scripts/report-check.sh docs/compare/report.html
#
# Needs chromium (Debian: apt-get install -y chromium) and perl. Exit status 0: every check passed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "report-check: chromium not found (apt-get install -y chromium)" >&2; exit 1; }

report="${1:-}"
if [ -z "$report" ]; then
  # Every family, every backend, the peers; short batches: the page's shape is what is checked.
  (cd "$root" && cargo run --quiet -p tessera-cli -- compare --peers --no-keygen --seconds 5 \
    --alg HS256 --alg RS256 --alg PS256 --alg ES256 --alg ES512 --alg EdDSA \
    --format md --out "$work/out" > /dev/null)
  report="$work/out/report.html"
fi
[ -s "$report" ] || { echo "report-check: $report is missing or empty" >&2; exit 1; }
report="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"

chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$work")" --enable-logging=stderr --v=0 "$@"
}
chrome --dump-dom "file://$report" > "$work/dom.html" 2> "$work/console.log"
if grep -E 'CONSOLE' "$work/console.log" >&2; then
  echo "report-check: console messages while loading $report (above)" >&2
  exit 1
fi

perl -0777 -ne '
  my $dom = $_; my @fail;
  push @fail, "no </html>: the page did not load" unless $dom =~ m{</html>}i;
  my %charts; while ($dom =~ m{<svg\b([^>]*)>(.*?)</svg>}gs) {
    my ($attrs, $body) = ($1, $2);
    my ($name) = $attrs =~ /data-chart="([^"]+)"/ or next;
    my $bars = () = $body =~ /class="bar"/g;
    $charts{$name} = $bars;
    push @fail, "chart $name has no bar" if $bars == 0;
  }
  for my $want (qw(hmac rsa-pkcs1 rsa-pss ecdsa eddsa token-size)) {
    push @fail, "chart $want missing" unless exists $charts{$want};
  }
  my %tables; while ($dom =~ m{<(table|p|ul)\b[^>]*data-table="([^"]+)"[^>]*>(.*?)</\1>}gs) {
    my ($tag, $name, $body) = ($1, $2, $3);
    # A table: its header row and at least one more; a paragraph or list: some text.
    my $rows = $tag eq "table" ? (() = $body =~ /<tr\b/g) : ($body =~ /\S/ ? 2 : 0);
    $tables{$name} = $rows;
    push @fail, "table $name is empty" if $rows < 2;
  }
  for my $want (qw(sizes build-cost floors unstable records family-hmac family-rsa-pkcs1 family-rsa-pss family-ecdsa family-eddsa rec-HS256 rec-RS256 rec-ES256 rec-EdDSA)) {
    push @fail, "table $want missing" unless exists $tables{$want};
  }
  printf "report-check: %d charts (%s), %d tables\n", scalar(keys %charts),
    join(", ", map { "$_: $charts{$_} bars" } sort keys %charts), scalar(keys %tables);
  if (@fail) { print STDERR "report-check: $_\n" for @fail; exit 1 }
' "$work/dom.html"

if [ -n "${SCREENSHOT:-}" ]; then
  case "$SCREENSHOT" in /*) shot="$SCREENSHOT" ;; *) shot="$PWD/$SCREENSHOT" ;; esac
  chrome --hide-scrollbars --window-size=1100,2600 --screenshot="$shot" "file://$report" 2>/dev/null
  [ -s "$shot" ] || { echo "report-check: no screenshot" >&2; exit 1; }
  echo "report-check: screenshot $shot"
fi
echo "report-check: ok ($report)"
