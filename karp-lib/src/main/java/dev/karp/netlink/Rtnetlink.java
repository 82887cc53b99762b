package dev.karp.netlink;

/**
 * Names and numbers from the Linux UAPI headers (linux/netlink.h, linux/rtnetlink.h,
 * linux/if_addr.h, linux/if_link.h, linux/if.h), spelled as there. They are part of the kernel's
 * stable ABI, so they are written out instead of read from headers at build time.
 */
public final class Rtnetlink {

    // linux/socket.h
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;

    // linux/netlink.h
    public static final int NETLINK_ROUTE = 0;
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    /** On a NEW request: replace an existing object (shares its value with NLM_F_ROOT, which only GET uses). */
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;

    // linux/rtnetlink.h
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;
    public static final int RTMGRP_LINK = 0x1;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;

    /** sizeof(struct ifaddrmsg): family, prefixlen, flags, scope (u8 each), index (u32). */
    public static final int IFADDRMSG_LEN = 8;
    /** sizeof(struct ifinfomsg): family, pad (u8), type (u16), index (s32), flags, change (u32). */
    public static final int IFINFOMSG_LEN = 16;
    /** sizeof(struct ndmsg): family, pad1 (u8), pad2 (u16), ifindex (s32), state (u16), flags, type (u8). */
    public static final int NDMSG_LEN = 12;
    /** sizeof(struct rtattr): len, type (u16 each); payloads are padded to 4 bytes. */
    public static final int RTA_HDRLEN = 4;

    // linux/if_addr.h
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_CACHEINFO = 6;
    public static final int IFA_FLAGS = 8;
    /** IFA_CACHEINFO's payload: u32 ifa_prefered, ifa_valid, cstamp, tstamp (seconds, hundredths). */
    public static final int IFA_CACHEINFO_LEN = 16;
    /** An address lifetime that never runs out ({@code forever} in {@code ip addr}). */
    public static final long INFINITY_LIFE_TIME = 0xFFFFFFFFL;
    /** IPv6: no duplicate address detection, the address is usable at once (never tentative). Fits in ifa_flags. */
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_DADFAILED = 0x08;
    /** The preferred lifetime ran out: the address works but is not chosen as a source. */
    public static final int IFA_F_DEPRECATED = 0x20;
    /** IPv6: duplicate address detection is still running; the address cannot be used yet. */
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;

    // linux/neighbour.h
    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;
    /** ndm_flags on RTM_NEWNEIGH: "use" the entry as a packet would, which starts resolution if it has no address. */
    public static final int NTF_USE = 0x01;

    // linux/if_link.h
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_AF_SPEC = 26;
    /** linux/if_link.h: inside IFLA_AF_SPEC/AF_INET, the nested array of ipv4_devconf values. */
    public static final int IFLA_INET_CONF = 1;
    /** linux/ip.h: the devconf index of promote_secondaries (attribute type in IFLA_INET_CONF). */
    public static final int IPV4_DEVCONF_PROMOTE_SECONDARIES = 20;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_CARRIER = 33;

    // linux/if.h (net_device_flags)
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_LOWER_UP = 0x10000;

    /** IFNAMSIZ - 1: longest interface name the kernel accepts. */
    public static final int IFNAMSIZ_MAX_LEN = 15;

    private Rtnetlink() {
    }
}
