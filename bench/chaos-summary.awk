#!/usr/bin/awk -f
# Summary of a bench/chaos.sh log, also of one still running: rounds, faults by kind, failed rounds,
# the longest client outage and the two-or-more-holder windows per kind (a round with several faults
# counts for each of them, as chaos.sh's own summary does).   awk -f bench/chaos-summary.awk LOG
/^round / {
  rounds++
  split($0, parts, "|")
  sub(/^round +[0-9]+: */, "", parts[1])
  n = split(parts[1], faults, " ")
  match(parts[3], /[0-9]+/); out = substr(parts[3], RSTART, RLENGTH) + 0
  match(parts[4], /[0-9]+ x/); tx = substr(parts[4], RSTART, RLENGTH - 2) + 0
  match(parts[4], /, [0-9]+ ms/); tt = substr(parts[4], RSTART + 2, RLENGTH - 5) + 0
  match(parts[4], /max [0-9]+/); tm = substr(parts[4], RSTART + 4, RLENGTH - 4) + 0
  failed = ($0 ~ /FAILED/)
  if (failed) { nf++; match($0, /^round +[0-9]+/); fl = fl " " substr($0, 7, RLENGTH - 6) + 0 }
  if (n > 1) multi++
  for (i = 1; i <= n; i++) {
    k = faults[i]; sub(/@.*/, "", k)
    kinds[k]++
    if (out > om[k]) om[k] = out
    tx_[k] += tx; tt_[k] += tt; if (tm > tm_[k]) tm_[k] = tm
    if (failed) fk[k]++
  }
}
END {
  printf "rounds %d (%d with several faults at once), failed %d%s\n", rounds, multi, nf, nf ? ":" fl : ""
  printf "| fault | rounds | failed | longest client outage | rounds' 2+ holder windows | total | longest |\n|---|---:|---:|---:|---:|---:|---:|\n"
  split("kill9 term cable part loss api cpu freeze", order, " ")
  for (j = 1; j <= 8; j++) { k = order[j]
    printf "| %s | %d | %d | %d ms | %d | %d ms | %d ms |\n", k, kinds[k], fk[k], om[k], tx_[k], tt_[k], tm_[k] }
}
