# shellcheck shell=sh
# lock.sh: included first by every script that changes a machine (lib/claim.sh next), so one actor at a time acts there (two
#   passes, two operator replicas during a hand-over, an operator restarted while its old scripts still run).
# Arguments: lockFile actor waitSeconds, then the including script's own (shifted into place).
# Exit codes: 7 when another actor held the machine for longer than waitSeconds; nothing has been touched then.
# Holds: flock on lockFile until the script exits (file descriptor 9, never passed to a process that outlives
#   it); the file names the holder, so a waiting actor can say who.
set -u
lock=$1; actor=$2; wait=$3; shift 3
exec 9>>"$lock"
if ! flock -w "$wait" 9; then
  echo "the machine is busy: another actor holds it ($(head -c 300 "$lock" 2>/dev/null | tr '\n' ' '))" >&2
  exit 7
fi
printf '%s, script pid %s\n' "$actor" "$$" > "$lock"
