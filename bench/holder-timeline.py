#!/usr/bin/env python3
"""The VIP holders over time, from `ip -ts monitor address` logs of each node (bench/chaos.sh).

Polling `ip addr` in three namespaces took seconds per sample at load 16, and a sample that started before one
node removed the VIP and ended after another added it counted as two holders until the next one. The kernel's
address notifications come one by one, in order, with the monitor's timestamp: a node holds the group from an
RTM_NEWADDR of any of its VIPs (renewals repeat it) until RTM_DELADDR of the last one.

usage: holder-timeline.py FROM_MS TO_MS VIP[,VIP...] NODE=MONITOR_LOG...
prints: "windows total_ms longest_ms" of times with two or more holders within [FROM_MS, TO_MS]
"""
import datetime
import sys


def events(node, path, vips):
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            if not line.startswith("["):
                continue
            stamp, _, rest = line[1:].partition("]")
            words = rest.split()
            deleted = bool(words) and words[0] == "Deleted"
            for i, w in enumerate(words):
                if w in ("inet", "inet6") and i + 1 < len(words):
                    address = words[i + 1].split("/")[0]
                    if address in vips:
                        t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f").timestamp() * 1000
                        out.append((t, node, address, not deleted))
                    break
    return out


def main(argv):
    a, b = float(argv[1]), float(argv[2])
    vips = set(argv[3].split(","))
    all_events = []
    for spec in argv[4:]:
        node, _, path = spec.partition("=")
        all_events += events(node, path, vips)
    all_events.sort(key=lambda e: e[0])
    held = {}
    windows, total, longest, opened = 0, 0.0, 0.0, None

    def holders():
        return sum(1 for s in held.values() if s)

    for t, node, address, present in all_events:
        if t > b:
            break
        s = held.setdefault(node, set())
        if present:
            s.add(address)
        else:
            s.discard(address)
        n = holders()
        if n >= 2 and opened is None:
            opened = max(t, a)
        elif n < 2 and opened is not None:
            if t >= a:
                d = t - opened
                windows, total, longest = windows + 1, total + d, max(longest, d)
            opened = None
    if opened is not None:
        d = b - opened
        windows, total, longest = windows + 1, total + d, max(longest, d)
    print("%d %d %d" % (windows, round(total), round(longest)))


if __name__ == "__main__":
    main(sys.argv)
