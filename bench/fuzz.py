#!/usr/bin/env python3
"""Live-path fuzzer (issue 16, item 7): writes mutated CARP, VRRP, ARP and IPv6 NA frames onto an
interface with an AF_PACKET socket. Run inside a lab namespace only (bench/fuzz.sh does that).

    fuzz.py IFACE COUNT SEED PASSWORD VIP VHID [RATE]

Valid adverts are built as karp-lib's CarpCodec/CarpHmac build them (ucarp-spec §2: HMAC-SHA1 over
02 01 vhid VIP[4] counter[8] with the password as key), from a made-up source 10.200.0.77, and then
broken. No frame is a valid advert: mutations whose checksum is fixed never touch the bytes the HMAC
does not cover (advskew, authlen, demote, advbase), since a frame changed only there would verify
and be a legitimate (if forged) advert, not an invalid one (that attack is issue 16 item 4).

Prints one JSON object: frames sent per kind, and how many of them a node's capture filter
("ip proto 112 and not src host SRCIP") passes, i.e. how many its rejection counters should count.
"""
import hashlib, hmac, json, os, random, socket, struct, sys, time

iface, count, seed, password, vip, vhid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
rate = int(sys.argv[7]) if len(sys.argv) > 7 else 0
rng = random.Random(seed)
SRC_MAC = bytes.fromhex("020000000077")
SRC_IP = socket.inet_aton("10.200.0.77")
GROUP = socket.inet_aton("224.0.0.18")
MCAST_MAC = bytes.fromhex("01005e000012")
VIP = socket.inet_aton(vip)
KEY = password.encode()


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(payload, proto=112, ttl=255, dst=GROUP):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(payload), rng.getrandbits(16), 0, ttl, proto, 0, SRC_IP, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def eth(payload, ethertype=0x0800, dst=MCAST_MAC):
    return dst + SRC_MAC + struct.pack("!H", ethertype) + payload


def carp(key=KEY, counter=None, skew=0, base=1, vh=vhid):
    counter = rng.getrandbits(64) if counter is None else counter
    digest = hmac.new(key, bytes([2, 1, vh]) + VIP + struct.pack("!Q", counter), hashlib.sha1).digest()
    c = struct.pack("!BBBBBBH", 0x21, vh, skew, 7, 0, base, 0) + struct.pack("!Q", counter) + digest
    return fix_carp(c)


def fix_carp(c):
    c = bytearray(c)
    c[6:8] = b"\0\0"
    c[6:8] = struct.pack("!H", csum(bytes(c)))
    return bytes(c)


def flip(b, lo, hi, n):
    b = bytearray(b)
    for _ in range(n):
        i = rng.randrange(lo, hi)
        b[i] ^= 1 << rng.randrange(8) if rng.random() < 0.5 else rng.randrange(1, 256)
    return bytes(b)


# Each kind: a function returning (frame, counted), counted = the node's capture filter passes it.
def k_flip():  # a valid advert with 1-4 bytes changed anywhere in the CARP part, checksum left wrong
    c = flip(carp(), 0, 36, rng.randint(1, 4))
    if csum(c) == 0:
        # The changes cancelled out in the checksum (about 1 in 50,000 here): if they only touched bytes the
        # HMAC does not cover (advskew, authlen, demote, advbase), the frame is a valid forged advert, which a
        # 10^6-frame run did produce (advbase 33, accepted). Break the checksum so that every frame is invalid.
        c = c[:6] + bytes([c[6] ^ 0xFF]) + c[7:]
    return eth(ipv4(c)), True


def k_flip_fixed():  # changed in version/type, vhid, counter or digest, checksum fixed: reaches the HMAC
    good = carp()
    c = bytearray(good)
    for _ in range(rng.randint(1, 3)):
        i = rng.choice([0, 1] + list(range(8, 36)))
        c[i] ^= rng.randrange(1, 256)
    if c[0] >> 4 == 2 and c[1] == good[1] and c[8:] == good[8:]:
        # Only the type nibble changed, which neither the HMAC nor UCarp checks: a valid advert (about 1 in 500
        # of these), which a backup with --preempt rightly takes over from. Break the digest: every frame is invalid.
        c[35] ^= 0xFF
    return eth(ipv4(fix_carp(bytes(c)))), True


def k_truncated():  # a valid advert cut anywhere: length 14..69
    f = eth(ipv4(carp()))
    n = rng.randrange(14, len(f))
    # The BPF filter reads the protocol byte at offset 23 and the source address at 26..29.
    return f[:n], n >= 30


def k_nopass():  # forged without the password: a random digest, everything else right
    c = bytearray(carp(skew=rng.choice([0, 0, 1, 255]), base=rng.choice([0, 1, 2])))
    c[16:36] = rng.randbytes(20)
    return eth(ipv4(fix_carp(bytes(c)))), True


def k_wrongpass():  # forged with a wrong password (a correct HMAC under another key)
    return eth(ipv4(carp(key=rng.randbytes(rng.randint(1, 20)), skew=0, base=rng.choice([0, 1])))), True


def k_badttl():  # a valid advert with the right password that crossed a router (TTL != 255)
    return eth(ipv4(carp(), ttl=rng.randrange(0, 255))), True


def k_otherproto_fields():  # bogus IP header length or total length
    f = bytearray(eth(ipv4(carp())))
    if rng.random() < 0.5:
        f[14] = 0x40 | rng.choice([0, 1, 2, 3, 4, 6, 15])
    else:
        struct.pack_into("!H", f, 16, rng.choice([0, 20, 21, 40, 55, 57, 1500, 65535]))
    return bytes(f), True


def k_vrrp():  # VRRP v2/v3 adverts (same protocol number), mutated
    ver = rng.choice([2, 3])
    body = bytes([(ver << 4) | 1, vhid if rng.random() < 0.5 else rng.randrange(256), rng.randrange(256), 1]) + rng.randbytes(rng.randrange(0, 40))
    return eth(ipv4(body)), True


def k_garbage():  # random bytes after a valid IPv4 header with protocol 112
    return eth(ipv4(rng.randbytes(rng.randrange(0, 120)))), True


def k_other_vhid():  # a valid advert for another vhid (its HMAC right for that vhid)
    return eth(ipv4(carp(vh=rng.choice([v for v in range(1, 256) if v != vhid])))), True


def k_arp():  # ARP for the VIP, mutated (broadcast); the daemon's filter does not pass ARP
    op = rng.choice([1, 2, rng.randrange(65536)])
    a = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, SRC_MAC, VIP if rng.random() < 0.5 else SRC_IP,
                    bytes(6) if op == 1 else rng.randbytes(6), VIP)
    a = flip(a, 0, len(a), rng.randint(0, 3))
    return eth(a[: rng.randrange(8, len(a) + 1)], 0x0806, b"\xff" * 6), False


def k_na():  # IPv6 neighbour advertisements (mutated, checksum often wrong); not counted either
    tgt = bytes.fromhex("fd000200000000000000000000000100")
    icmp = struct.pack("!BBHI", 136, 0, 0, 0x20000000) + tgt + b"\x02\x01" + SRC_MAC
    icmp = flip(icmp, 0, len(icmp), rng.randint(0, 3))
    ip6 = struct.pack("!IHBB16s16s", 0x60000000, len(icmp), 58, 255, bytes.fromhex("fe800000000000000000000000000077"),
                      bytes.fromhex("ff020000000000000000000000000001"))
    return eth(ip6 + icmp, 0x86DD, bytes.fromhex("333300000001")), False


KINDS = [k_flip, k_flip_fixed, k_truncated, k_nopass, k_wrongpass, k_badttl, k_otherproto_fields, k_vrrp,
         k_garbage, k_other_vhid, k_arp, k_na]
only = os.environ.get("FUZZ_KINDS")  # e.g. FUZZ_KINDS=vrrp,truncated: only these kinds
if only:
    KINDS = [k for k in KINDS if k.__name__[2:] in only.split(",")]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
sent = {k.__name__[2:]: 0 for k in KINDS}
counted = 0
errors = 0
t0 = time.monotonic()
for i in range(count):
    k = KINDS[i % len(KINDS)]
    frame, c = k()
    try:
        s.send(frame)
    except OSError:
        errors += 1
        continue
    sent[k.__name__[2:]] += 1
    counted += c
    if rate and i % 100 == 99:
        ahead = (i + 1) / rate - (time.monotonic() - t0)
        if ahead > 0:
            time.sleep(ahead)
print(json.dumps({"sent": sum(sent.values()), "counted": counted, "send_errors": errors,
                  "seconds": round(time.monotonic() - t0, 1), "by_kind": sent}))
