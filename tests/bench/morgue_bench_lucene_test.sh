#!/usr/bin/env bash
# morgue-bench's Lucene baseline end to end: morgue-bench --vs xapian,lucene, then --vs lucene
# reusing the indexes. Checks that Lucene's rows are printed (and in the JSON, with every
# query's own medians), that it indexed as many articles as morgue, and that its match
# counts equal morgue's on queries where the two analyses agree (stems, filters, dates; no
# phrases), and that it names the allocator the build chose; then --vs none, morgue alone.
# Never checks a time.
# Usage: morgue_bench_lucene_test.sh BENCH LUCENE_BUILT WORK CORPUS... QUERIES
# Exits 77 (skipped) when morgue-bench was built without the Lucene baseline.
set -euo pipefail
bench=$1 built=$2 work=$3
shift 3
queries=${!#}
corpus=("${@:1:$#-1}")
if [[ $built != 1 ]]; then
  echo "morgue-bench was built without the Lucene baseline: skipped"
  exit 77
fi
corpus_args=()
for c in "${corpus[@]}"; do corpus_args+=(--corpus "$c"); done
quick=(--rounds 1 --lucene-warmup-passes 1 --lucene-warmup-seconds 0)

fail() { echo "FAILED: $*"; exit 1; }
check() {  # check OUTPUT REGEX
  grep -qE "$2" <<<"$1" || fail "no line matching '$2'"
}

rm -rf "$work"
out=$("$bench" "${corpus_args[@]}" --queries "$queries" --work "$work" --vs xapian,lucene \
        "${quick[@]}" --json "$work.json")
echo "$out"
check "$out" '^lucene +[0-9]+ '
check "$out" 'lucene p50'
check "$out" '^top-10 differences: 0$'
# The allocator the build configured (CTest passes it), in the output and the JSON.
check "$out" "^morgue's allocator: ${MORGUE_EXPECTED_ALLOCATOR:?}$"
grep -q "^{\"allocator\":\"$MORGUE_EXPECTED_ALLOCATOR\"," "$work.json" ||
  fail "the JSON does not name the allocator $MORGUE_EXPECTED_ALLOCATOR"
check "$out" '^lucene count differences: 0$'
awk '$1 == "morgue" && NF == 8 { m = $2 } $1 == "lucene" && NF == 8 { l = $2 }
     END { exit !(m > 0 && m == l) }' <<<"$out" || fail "lucene and morgue indexed different counts"
grep -q '"lucene":{"median_us"' "$work.json" || fail "no lucene latency in the JSON"
grep -q '"lucene":{"articles"' "$work.json" || fail "no lucene indexing entry in the JSON"
# Every query's own medians: as many entries as the kinds count queries, each with all three
# engines' times.
planned=$(grep -oE '"queries":[0-9]+' "$work.json" | awk -F: '{ n += $2 } END { print n + 0 }')
[[ $planned -gt 0 ]] || fail "no kind counts queries in the JSON"
for key in '\{"kind":' '"morgue_us":[0-9]' '"xapian_us":[0-9]' '"lucene_us":[0-9]'; do
  n=$(grep -oE "$key" "$work.json" | wc -l)
  [[ $n -eq $planned ]] || fail "JSON: $n matches of $key for $planned queries"
done

# Lucene alone, reusing every index: no Xapian columns, the same counts.
out=$("$bench" "${corpus_args[@]}" --queries "$queries" --work "$work" --vs lucene --reuse \
        "${quick[@]}")
echo "$out"
check "$out" '^lucene count differences: 0$'
if grep -qE 'xapian|top-10' <<<"$out"; then fail "--vs lucene printed Xapian figures"; fi

# morgue alone: its latency rows, no other engine's.
out=$("$bench" "${corpus_args[@]}" --queries "$queries" --work "$work" --vs none --reuse \
        --rounds 1)
echo "$out"
check "$out" 'morgue p50'
if grep -qiE 'xapian|lucene|top-10' <<<"$out"; then fail "--vs none printed another engine"; fi
if "$bench" "${corpus_args[@]}" --work "$work" --vs nothing --reuse 2>/dev/null; then
  fail "--vs nothing was accepted"
fi
echo "ok"
