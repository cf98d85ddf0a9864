#!/bin/sh
# tests/sweep/sweep-cli.sh AMLASIM — `amlasim sweep` and `amlasim merge` as a user runs them:
# bad options exit 2 with one line naming the option; the CSV has one row per configuration;
# streamed stdout equals -o; shards merged equal the unsharded CSV; merge refuses gaps and
# duplicates; plots are real PNG/SVG files.  TAP output.
set -u
AMLASIM=$1
. "$(dirname "$0")/../tap.sh"

# usage errors: exit 2, exactly one line on stderr, naming the option
usage () {
  desc=$1; shift
  "$AMLASIM" "$@" >"$T/out" 2>"$T/err"
  rc=$?
  lines=$(wc -l <"$T/err")
  if [ "$rc" = 2 ] && [ "$lines" = 1 ] && grep -q -- "$desc" "$T/err"; then
    ok "usage: $* -> $(cat "$T/err")"
  else
    not_ok "usage: $* (rc $rc, $lines lines: $(cat "$T/err"))"
  fi
}
usage "--kv must be an integer in \[1, 1048576\]" sweep --kv 0
usage "--kv" sweep --kv 512,x
usage "--batch" sweep --batch 1..100000
usage "--preload must be on or off" sweep --preload maybe
usage "--rescale must be amla or mul" sweep --rescale fast
usage "--heads must be 1, 2, 4, 8 or a multiple of 16" sweep --heads 24
usage "--shard must be K/N" sweep --shard 5/4
usage "--shard must be K/N" sweep --shard 0/4
usage "--threads must be in" sweep --threads -3
usage "--plot must name a .png, .svg or .pdf" sweep --kv 512,1024 --plot out.jpg
usage "--x must be kv, batch, sq, heads or rows" sweep --kv 512,1024 --x preload --plot a.png
usage "--plot needs an x axis with several values" sweep --plot a.png
usage "--plot-size must be WxH" sweep --kv 512,1024 --plot a.png --plot-size 10x10
usage "unexpected argument" sweep extra
usage "give the CSV files" merge
usage "Unknown option" sweep --frobnicate
usage "--set: unknown field \"l2\"" sweep --set l2=1
usage "--set: 'x': expected FIELD=VALUE" sweep --set x
usage "--set: field \"dies\" = 9999 is outside" sweep --set dies=9999

# a what-if sweep row equals `amlasim run` with the same --set (and differs from the preset's)
"$AMLASIM" sweep --batch 48 --kv 1024 --set l2_bytes_per_s=4.4e12 --no-progress >"$T/wi.csv" 2>/dev/null
wi_row=$(tail -1 "$T/wi.csv" | cut -d, -f12)
wi_run=$("$AMLASIM" run --batch 48 --kv 1024 --set l2_bytes_per_s=4.4e12 --json |
         sed -n 's/^ *"total_ns": *\([0-9.e+-]*\),*$/\1/p')
plain=$("$AMLASIM" run --batch 48 --kv 1024 --json | sed -n 's/^ *"total_ns": *\([0-9.e+-]*\),*$/\1/p')
check "what-if sweep row = what-if run ($wi_row vs $wi_run)" "awk -v a='$wi_row' -v b='$wi_run' 'BEGIN { exit !(a > 0 && (a - b) / a < 1e-9 && (b - a) / a < 1e-9) }'"
check "what-if sweep rows say so (CSV what_if column)" "[ \"\$(tail -1 '$T/wi.csv' | awk -F, '{print \$(NF-2)}')\" = l2_bytes_per_s=4.4e12 ]"
check "what-if differs from the preset ($wi_run vs $plain)" "awk -v a='$wi_run' -v b='$plain' 'BEGIN { exit !(a > b * 1.01) }'"

# a small grid: 2 batches x 2 KV lengths x 8 toggle combinations = 32 rows
GRID="--batch 4,48 --kv 512,2048 --all-toggles --no-progress"
"$AMLASIM" sweep $GRID -o "$T/all.csv" --plot "$T/kv.png" --roofline "$T/roof.svg" 2>"$T/err"
check "sweep exits 0" "[ $? = 0 ]"
check "header + 32 rows" "[ \$(wc -l <'$T/all.csv') = 33 ]"
check "header names the columns" "head -1 '$T/all.csv' | grep -q '^point,points,hw,heads,sq,batch,kv,rows,preload,tiling,rescale,total_ns,flops,tflops'"
check "no duplicate configurations" "[ \$(tail -n +2 '$T/all.csv' | cut -d, -f3-11 | sort -u | wc -l) = 32 ]"
check "points 0..31 in order" "[ \"\$(tail -n +2 '$T/all.csv' | cut -d, -f1 | tr '\n' ' ')\" = \"\$(seq 0 31 | tr '\n' ' ')\" ]"
check "PNG plot written" "head -c 4 '$T/kv.png' | grep -q PNG"
check "SVG roofline is XML" "xmllint --noout '$T/roof.svg'"
check "no temporary files left" "[ \$(ls '$T' | grep -c tmp) = 0 ]"

# a point of the sweep equals a single `amlasim run` of its configuration (same total_ns)
row=$(grep ',ascend910c,128,2,4,2048,auto,off,on,mul,' "$T/all.csv" | cut -d, -f12)
single=$("$AMLASIM" run --batch 4 --kv 2048 --preload off --tiling on --rescale mul --json |
         sed -n 's/^ *"total_ns": *\([0-9.e+-]*\),*$/\1/p')
check "sweep row total_ns $row equals amlasim run's $single" \
  "[ -n '$row' ] && [ -n '$single' ] && awk 'BEGIN { d = $row / $single - 1; exit !(d < 1e-9 && d > -1e-9) }'"

"$AMLASIM" sweep $GRID --threads 1 >"$T/stdout.csv" 2>/dev/null
check "stdout stream equals -o file (1 thread)" "cmp -s '$T/stdout.csv' '$T/all.csv'"

"$AMLASIM" sweep --batch 4 --batch 48 --kv 512,2048 --all-toggles --no-progress >"$T/repeat.csv" 2>/dev/null
check "an option given twice adds to its list" "cmp -s '$T/repeat.csv' '$T/all.csv'"

for k in 1 2 3; do
  "$AMLASIM" sweep $GRID --shard $k/3 -o "$T/part$k.csv" 2>/dev/null
done
check "shards hold 11+11+10 rows" "[ \$(cat '$T'/part*.csv | grep -vc '^point') = 32 ]"
"$AMLASIM" merge "$T/part3.csv" "$T/part1.csv" "$T/part2.csv" -o "$T/merged.csv" --plot "$T/m.pdf" 2>"$T/err"
check "merge exits 0" "[ $? = 0 ]"
check "merged shards equal the unsharded CSV" "cmp -s '$T/merged.csv' '$T/all.csv'"
check "merge PDF plot written" "head -c 4 '$T/m.pdf' | grep -q PDF"

"$AMLASIM" merge "$T/part1.csv" "$T/part2.csv" >/dev/null 2>"$T/err"
rc=$?
check "merge with a missing shard fails (exit 1)" "[ $rc = 1 ] && grep -q 'points are missing' '$T/err'"
"$AMLASIM" merge "$T/part1.csv" "$T/part2.csv" --allow-gaps >"$T/gaps.csv" 2>/dev/null
check "--allow-gaps merges what is there" "[ \$(wc -l <'$T/gaps.csv') = 23 ]"
"$AMLASIM" merge "$T/part1.csv" "$T/part1.csv" "$T/part2.csv" "$T/part3.csv" >/dev/null 2>"$T/err"
rc=$?
check "merge with a duplicate shard fails" "[ $rc = 1 ] && grep -q 'appears twice' '$T/err'"
echo "a,b" >"$T/foreign.csv"
"$AMLASIM" merge "$T/foreign.csv" >/dev/null 2>"$T/err"
rc=$?
check "merge of a foreign CSV fails naming the file" "[ $rc = 1 ] && grep -q 'foreign.csv:1' '$T/err'"
"$AMLASIM" merge "$T/nonexistent.csv" >/dev/null 2>"$T/err"
check "merge of a missing file fails" "[ $? = 1 ]"

# shards know their sweep: a missing shard is named, shards of another sweep are refused
"$AMLASIM" merge "$T/part1.csv" "$T/part3.csv" >/dev/null 2>"$T/err"
check "merge names the missing shard" "grep -q 'shard 2/3 is missing (0 of 11 points)' '$T/err'"
"$AMLASIM" sweep --batch 4,48 --kv 512,4096 --all-toggles --shard 2/3 -o "$T/other2.csv" 2>/dev/null
"$AMLASIM" merge "$T/part1.csv" "$T/other2.csv" "$T/part3.csv" >/dev/null 2>"$T/err"
rc=$?
check "merge refuses a shard of another grid, naming both files" "[ $rc = 1 ] && grep -q 'part1.csv and .*other2.csv come from different sweeps' '$T/err'"
"$AMLASIM" sweep $GRID --shard 2/3 --set atomic_l2_factor=2 -o "$T/whatif2.csv" 2>/dev/null
"$AMLASIM" merge "$T/part1.csv" "$T/whatif2.csv" "$T/part3.csv" >/dev/null 2>"$T/err"
check "merge refuses a shard with another what-if" "grep -q 'come from different sweeps' '$T/err'"
SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3 "$AMLASIM" sweep $GRID --shard auto -o "$T/auto3.csv" 2>/dev/null
check "--shard auto in a Slurm array task is --shard 3/3" "cmp -s '$T/auto3.csv' '$T/part3.csv'"
JOB_COMPLETION_INDEX=0 "$AMLASIM" sweep $GRID --shard auto --shards 3 -o "$T/k8s1.csv" 2>/dev/null
check "--shard auto in an Indexed Job is --shard 1/3" "cmp -s '$T/k8s1.csv' '$T/part1.csv'"
usage "--shard auto: no scheduler told this process its shard" sweep --shard auto
usage "--slurm needs --out-dir" sweep --slurm 4
usage "go with --slurm" sweep --dry-run
usage "--status" merge --status "$T"
"$AMLASIM" sweep $GRID --slurm 4 --out-dir "$T/run" --dry-run --sbatch-arg=--partition=cpu >"$T/dry" 2>&1
check "--slurm --dry-run prints the array and merge scripts" "grep -q '^#SBATCH --array=1-4' '$T/dry' && grep -q '^#SBATCH --partition=cpu' '$T/dry' && grep -q 'merge' '$T/dry' && grep -q 'shard-4-of-4.csv' '$T/dry'"
check "--dry-run writes nothing" "[ ! -e '$T/run' ]"

# outputs that cannot be written are found before the sweep runs, not after it
"$AMLASIM" sweep --kv 512..65536*2 --all-toggles -o "$T/no/such/dir/x.csv" >/dev/null 2>"$T/err"
rc=$?
check "an unwritable -o fails at once (exit 2), naming -o" "[ $rc = 2 ] && grep -q -- '-o: cannot write .*its directory does not exist' '$T/err'"
mkfifo "$T/fifo.csv"
"$AMLASIM" merge "$T/fifo.csv" >/dev/null 2>"$T/err"
rc=$?
check "merge of a FIFO fails at once, never waits on it" "[ $rc = 1 ] && grep -q 'is a FIFO, socket or device' '$T/err'"

echo "1..$n"
exit $fail
