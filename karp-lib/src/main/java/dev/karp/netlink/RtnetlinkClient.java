package dev.karp.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Request/answer over one NETLINK_ROUTE socket: look up interfaces, list and change IPv4
 * and IPv6 addresses. Bound to the network namespace of the thread that called {@link #open()}.
 * Thread-safe: requests are serialised.
 */
public final class RtnetlinkClient implements AutoCloseable {

    /** The kernel answers rtnetlink requests in microseconds; this only guards against a lost answer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final NetlinkSocket socket;
    private int seq;

    private RtnetlinkClient(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static RtnetlinkClient open() throws NetlinkException {
        return new RtnetlinkClient(NetlinkSocket.open(0, ANSWER_TIMEOUT));
    }

    /** The interface called {@code name}, or empty if there is none. */
    public Optional<LinkInfo> link(String name) throws NetlinkException {
        if (name.isEmpty() || name.length() > Rtnetlink.IFNAMSIZ_MAX_LEN || name.indexOf('/') >= 0) {
            return Optional.empty();
        }
        return linkOrEmpty(next -> NetlinkCodec.getLink(next, name));
    }

    /** The interface with index {@code index}, or empty if there is none. */
    public Optional<LinkInfo> link(int index) throws NetlinkException {
        return linkOrEmpty(next -> NetlinkCodec.getLink(next, index));
    }

    /** Every interface of the namespace, in index order. */
    public List<LinkInfo> links() throws NetlinkException {
        List<LinkInfo> out = new ArrayList<>();
        for (NetlinkMessage m : request(NetlinkCodec::dumpLinks, true)) {
            if (m.type() == Rtnetlink.RTM_NEWLINK) {
                out.add(NetlinkCodec.parseLink(m));
            }
        }
        return out;
    }

    /**
     * The IPv4 and IPv6 addresses on interface {@code index}: IPv4 first, each family in the kernel's order
     * (IPv4 primary addresses before their secondaries).
     */
    public List<AddressInfo> addresses(int index) throws NetlinkException {
        List<AddressInfo> out = new ArrayList<>();
        for (NetlinkMessage m : request(next -> NetlinkCodec.dumpAddresses(next, Rtnetlink.AF_UNSPEC), true)) {
            if (m.type() == Rtnetlink.RTM_NEWADDR) {
                NetlinkCodec.parseAddress(m).filter(a -> a.index() == index).ifPresent(out::add);
            }
        }
        return out;
    }

    /**
     * Adds {@code address/prefixLength} to interface {@code index}.
     *
     * @throws NetlinkException with the kernel's errno, e.g. EEXIST if it is already there,
     *                          EPERM without CAP_NET_ADMIN, ENODEV if the interface is gone
     */
    public synchronized void addAddress(int index, Inet4Address address, int prefixLength) throws NetlinkException {
        // No lambda here: this runs first on a backup's first takeover, where linking one costs a millisecond.
        int mySeq = ++seq;
        exchange(NetlinkCodec.newAddress(mySeq, index, address, prefixLength), mySeq, false);
    }

    /**
     * Adds {@code address/prefixLength} (IPv4 or IPv6; IPv6 without duplicate address detection) to interface
     * {@code index} with these lifetimes in seconds ({@link Rtnetlink#INFINITY_LIFE_TIME} for forever).
     *
     * @throws NetlinkException with the kernel's errno, e.g. EEXIST if it is already there
     */
    public synchronized void addAddress(int index, InetAddress address, int prefixLength, long validSeconds,
            long preferredSeconds) throws NetlinkException {
        int mySeq = ++seq;
        exchange(NetlinkCodec.newAddress(mySeq, index, address, prefixLength, validSeconds, preferredSeconds, false),
                mySeq, false);
    }

    /**
     * Sets the lifetimes of {@code address/prefixLength} on interface {@code index} in place (RTM_NEWADDR with
     * NLM_F_REPLACE, as {@code ip addr replace}): the address stays on the interface throughout. If it is not
     * there, the kernel adds it.
     */
    public synchronized void replaceAddress(int index, InetAddress address, int prefixLength, long validSeconds,
            long preferredSeconds) throws NetlinkException {
        int mySeq = ++seq;
        exchange(NetlinkCodec.newAddress(mySeq, index, address, prefixLength, validSeconds, preferredSeconds, true),
                mySeq, false);
    }

    /**
     * Removes the IPv6 {@code address/prefixLength} from interface {@code index} (IPv6 deletes match the prefix).
     *
     * @throws NetlinkException with the kernel's errno, e.g. EADDRNOTAVAIL if it is not there with that prefix
     */
    public synchronized void deleteAddress(int index, Inet6Address address, int prefixLength) throws NetlinkException {
        int mySeq = ++seq;
        exchange(NetlinkCodec.deleteAddress(mySeq, index, address, prefixLength), mySeq, false);
    }

    /**
     * Removes {@code address} (any prefix length) from interface {@code index}.
     *
     * @throws NetlinkException with the kernel's errno, e.g. EADDRNOTAVAIL if it is not there
     */
    public synchronized void deleteAddress(int index, Inet4Address address) throws NetlinkException {
        int mySeq = ++seq;
        exchange(NetlinkCodec.deleteAddress(mySeq, index, address), mySeq, false);
    }

    /**
     * The kernel's neighbour entry for {@code address} on interface {@code index}, whatever its state, or empty if
     * it has none.
     */
    public Optional<NeighbourInfo> neighbour(int index, InetAddress address) throws NetlinkException {
        int family = address instanceof Inet6Address ? Rtnetlink.AF_INET6 : Rtnetlink.AF_INET;
        for (NetlinkMessage m : request(next -> NetlinkCodec.dumpNeighbours(next, family), true)) {
            if (m.type() == Rtnetlink.RTM_NEWNEIGH) {
                Optional<NeighbourInfo> n = NetlinkCodec.parseNeighbour(m);
                if (n.isPresent() && n.get().index() == index && n.get().address().equals(address)) {
                    return n;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Makes the kernel resolve {@code address} on interface {@code index} if its entry has no usable MAC (RTM_NEWNEIGH
     * with NTF_USE): it sends an ARP request or neighbour solicitation, and the answer lands in the table.
     */
    public synchronized void useNeighbour(int index, InetAddress address) throws NetlinkException {
        int mySeq = ++seq;
        exchange(NetlinkCodec.useNeighbour(mySeq, index, address), mySeq, false);
    }

    /**
     * Sets {@code net.ipv4.conf.IF.promote_secondaries} on interface {@code index}, so deleting a primary
     * address promotes a secondary instead of deleting every secondary with it.
     *
     * @throws NetlinkException with the kernel's errno, e.g. EPERM without CAP_NET_ADMIN
     */
    public synchronized void promoteSecondaries(int index) throws NetlinkException {
        int mySeq = ++seq;
        exchange(NetlinkCodec.setInetDevconf(mySeq, index, Rtnetlink.IPV4_DEVCONF_PROMOTE_SECONDARIES, 1), mySeq, false);
    }

    @Override
    public synchronized void close() {
        socket.close();
    }

    private Optional<LinkInfo> linkOrEmpty(Request request) throws NetlinkException {
        try {
            for (NetlinkMessage m : request(request, false)) {
                if (m.type() == Rtnetlink.RTM_NEWLINK) {
                    return Optional.of(NetlinkCodec.parseLink(m));
                }
            }
            return Optional.empty();
        } catch (NetlinkException e) {
            if (e.is(Errno.ENODEV)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Sends one request and collects the answers that carry its sequence number: for a dump,
     * everything up to NLMSG_DONE; otherwise the single answer or the ack. An NLMSG_ERROR with
     * a non-zero status becomes a {@link NetlinkException}. Answers to earlier, abandoned
     * requests (other sequence numbers) are skipped.
     */
    private synchronized List<NetlinkMessage> request(Request request, boolean dump) throws NetlinkException {
        int mySeq = ++seq;
        return exchange(request.encode(mySeq), mySeq, dump);
    }

    /** Sends one request and collects its answer; the caller holds the lock and chose {@code mySeq}. */
    private List<NetlinkMessage> exchange(byte[] message, int mySeq, boolean dump) throws NetlinkException {
        socket.send(message);
        List<NetlinkMessage> out = new ArrayList<>();
        while (true) {
            for (NetlinkMessage m : socket.receive()) {
                if (m.seq() != mySeq) {
                    continue;
                }
                if (m.type() == Rtnetlink.NLMSG_ERROR || m.type() == Rtnetlink.NLMSG_DONE) {
                    int errno = NetlinkCodec.errno(m);
                    if (errno != 0) {
                        throw new NetlinkException(Errno.describe(errno), errno);
                    }
                    return out;
                }
                out.add(m);
                if (!dump && m.type() == Rtnetlink.RTM_NEWLINK) {
                    // The answer to a single GET; the request had no NLM_F_ACK, so nothing follows.
                    return out;
                }
            }
        }
    }

    @FunctionalInterface
    private interface Request {
        byte[] encode(int seq);
    }
}
