#!/bin/bash
# tests/slurm/sweep-slurm.sh AMLASIM — `amlasim sweep --slurm` on a real Slurm cluster of one node
# that this test brings up itself (munged, slurmctld, slurmd from Debian's packages, all state in
# a temporary directory, its own ports) and tears down by PID.
#  1. A 4-shard sweep submitted with --slurm 4 runs as an array job plus a merge job; the merged
#     CSV equals a one-process `amlasim sweep` of the same grid byte for byte.
#  2. A second submission with one shard cancelled: `merge --status` lists it, `merge` names it
#     and prints the command that reruns only it; running that command completes the sweep.
# Exit 77 (skip) when not root or the Slurm packages are missing.  TAP output.
set -u
AMLASIM=$(readlink -f "$1")
GRID=(--batch 8,16 --kv 512,1024 --all-toggles)

skip () { echo "1..0 # SKIP $1"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to run munged/slurmctld/slurmd"
for p in munged slurmctld slurmd sbatch squeue scancel scontrol sinfo; do
  command -v "$p" >/dev/null || skip "$p not installed (scripts/deps.sh installs slurmctld slurmd slurm-client munge)"
done

T=$(mktemp -d /tmp/amlaviz-slurm.XXXXXX)
chmod 700 "$T"
n=0
fail=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

stop_pid () { # stop_pid PIDFILE: TERM, wait up to 10 s, then KILL
  [ -s "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
}
cleanup () {
  scancel --quiet --user=root 2>/dev/null
  stop_pid "$T/slurmd.pid"
  stop_pid "$T/slurmctld.pid"
  stop_pid "$T/munged.pid"
  rm -rf "$T"
}
trap cleanup EXIT

# --- a one-node cluster ---------------------------------------------------------------------
HOST=$(hostname -s)
BASE=$((20000 + $$ % 20000))
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$T/munge.key"
munged --force --socket="$T/munge.sock" --key-file="$T/munge.key" --pid-file="$T/munged.pid" \
  --log-file="$T/munged.log" --seed-file="$T/munged.seed" || skip "munged would not start"
mkdir -p "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<EOF
ClusterName=amlaviztest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$BASE
SlurmdPort=$((BASE + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=amlaviz Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
EOF
export SLURM_CONF=$T/slurm.conf
slurmctld -f "$SLURM_CONF" -i || skip "slurmctld would not start"
slurmd -f "$SLURM_CONF" || skip "slurmd would not start"
up=no
for _ in $(seq 1 300); do # 30 s
  if sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then up=yes; break; fi
  sleep 0.1
done
check "a one-node Slurm cluster is up (node $HOST idle)" "[ $up = yes ]"
[ $up = yes ] || { tail -5 "$T/slurmctld.log" "$T/slurmd.log"; echo "1..$n"; exit 1; }

wait_jobs () { # wait_jobs SECONDS JOBID...: until none of them is in the queue
  local limit=$(( $1 * 10 )); shift
  local ids
  ids=$(IFS=,; echo "$*")
  for _ in $(seq 1 "$limit"); do
    [ -z "$(squeue -h -j "$ids" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  return 1
}

"$AMLASIM" sweep "${GRID[@]}" --no-progress -o "$T/one.csv" 2>/dev/null

# --- 1. a whole sweep through Slurm -----------------------------------------------------------
"$AMLASIM" sweep "${GRID[@]}" --slurm 4 --out-dir "$T/run1" >"$T/submit1" 2>&1
rc=$?
check "--slurm 4 submits (exit 0)" "[ $rc = 0 ] && grep -q 'submitted 32 configurations as Slurm array job' '$T/submit1'"
ids=$(sed -n 's/.*squeue -j \([0-9]*\),\([0-9]*\).*/\1 \2/p' "$T/submit1")
check "it prints the array and merge job ids ($ids)" "[ -n \"$ids\" ]"
# shellcheck disable=SC2086
wait_jobs 90 $ids
check "the jobs finish within 90 s" "[ $? = 0 ]"
check "four shard CSVs were written" "[ \$(ls '$T'/run1/shard-*-of-4.csv | wc -l) = 4 ]"
check "the merge job wrote the merged CSV, equal to a one-process sweep byte for byte" "cmp -s '$T/run1/sweep.csv' '$T/one.csv'"
"$AMLASIM" merge --status "$T/run1" >"$T/status1" 2>&1
rc=$?
check "merge --status: 4 of 4 shards done (exit 0)" "[ $rc = 0 ] && grep -q '4 of 4 shards done' '$T/status1'"

# --- 2. one shard lost: status, the merge names it, rerunning only it completes the sweep ---
"$AMLASIM" sweep "${GRID[@]}" --slurm 4 --out-dir "$T/run2" --sbatch-arg=--hold >"$T/submit2" 2>&1
read -r array merge < <(sed -n 's/.*squeue -j \([0-9]*\),\([0-9]*\).*/\1 \2/p' "$T/submit2")
scancel "${array}_2"
scontrol release "$array" 2>/dev/null
wait_jobs 90 "$array"
check "the other three shards finish" "[ \$(ls '$T'/run2/shard-*-of-4.csv | wc -l) = 3 ]"
scancel "$merge" # its afterok dependency can never be met now
"$AMLASIM" merge --status "$T/run2" >"$T/status2" 2>&1
rc=$?
check "merge --status lists shard 2/4 as not done (exit 1)" "[ $rc = 1 ] && grep -q '^  2/4  \(missing\|failed\)' '$T/status2' && grep -q '3 of 4 shards done' '$T/status2'"
"$AMLASIM" merge "$T"/run2/shard-*-of-4.csv -o "$T/run2/sweep.csv" >/dev/null 2>"$T/merge2"
rc=$?
check "merge fails naming shard 2/4" "[ $rc = 1 ] && grep -q 'shard 2/4 is missing' '$T/merge2'"
rerun=$(sed -n 's/^ *or here: *//p' "$T/merge2")
check "merge prints the command that reruns only shard 2/4" "echo \"\$rerun\" | grep -q -- '--shard 2/4 -o'"
eval "$rerun" 2>/dev/null
"$AMLASIM" merge "$T"/run2/shard-*-of-4.csv -o "$T/run2/sweep.csv" 2>"$T/merge3"
check "after the rerun the merge completes, equal to the one-process sweep" "cmp -s '$T/run2/sweep.csv' '$T/one.csv'"

echo "1..$n"
exit $fail
