package dev.karp.carp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The daemon's receive validation of one vhid: {@link AdvertChain} expecting everything of the
 * node's configuration, with every drop counted under its reason in {@link DropCounters}. A drop
 * changes nothing else: timers and state are the caller's, and a dropped frame must not touch them.
 * Safe to share between threads: the chain is immutable, the HMAC is synchronized and the counters
 * are {@link java.util.concurrent.atomic.LongAdder}s.
 */
public final class AdvertFilter {

    /**
     * What this node expects of an advert.
     *
     * @param ownSources   our advert sources, either family: the IPv4 {@code --srcip}, the
     *                     interface's IPv6 link-local; adverts from them are our own
     * @param vhid         our vhid
     * @param destinations the IP destinations we accept adverts to: our multicast groups (the
     *                     IPv4 one also with nomcast), e.g. 224.0.0.18 and ff02::12 for a dual-stack
     *                     vhid; an advert of a family with no destination here is dropped as another group
     * @param vips         every address of our vhid, part of the HMAC message
     * @param hmac         keyed with our password
     * @param auth         which digests are accepted ({@code --auth}); strict ones also pass the replay window
     */
    public record Config(Set<InetAddress> ownSources, int vhid, Set<InetAddress> destinations, VipAddresses vips,
            CarpHmac hmac, AuthMode auth) {
        public Config {
            Objects.requireNonNull(auth, "auth");
            ownSources = Set.copyOf(ownSources);
            Carp.checkVhid(vhid);
            destinations = Set.copyOf(destinations);
            if (destinations.isEmpty()) {
                throw new IllegalArgumentException("no advert destination (expected: at least the multicast group)");
            }
            Objects.requireNonNull(vips, "vips");
            Objects.requireNonNull(hmac, "hmac");
        }

        /** A receiver of UCarp-authenticated adverts. */
        public Config(Set<InetAddress> ownSources, int vhid, Set<InetAddress> destinations, VipAddresses vips,
                CarpHmac hmac) {
            this(ownSources, vhid, destinations, vips, hmac, AuthMode.UCARP);
        }

        /** UCarp's receiver: IPv4 adverts from anyone but {@code ownSource} to {@code group}. */
        public Config(Inet4Address ownSource, int vhid, Inet4Address group, VipAddresses vips, CarpHmac hmac) {
            this(Set.of(ownSource), vhid, Set.of(group), vips, hmac);
        }
    }

    private final Config config;
    private final DropCounters counters;
    private final AdvertChain chain;
    private final ReplayWindow replays;

    /** A filter whose replay window (for strict adverts) spans one second, on the system's wall clock. */
    public AdvertFilter(Config config, DropCounters counters) {
        this(config, counters, new ReplayWindow(java.time.Duration.ofSeconds(1), ReplayWindow.DEFAULT_STALE_AFTER,
                () -> ReplayWindow.epochNanos(java.time.Clock.systemUTC())));
    }

    /** @param replays the replay window of strict adverts; unused with {@code --auth ucarp} */
    public AdvertFilter(Config config, DropCounters counters, ReplayWindow replays) {
        this.config = Objects.requireNonNull(config, "config");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.replays = Objects.requireNonNull(replays, "replays");
        this.chain = new AdvertChain(AdvertChain.Expect.all(config.ownSources(), config.vhid(), config.destinations(),
                config.vips(), config.hmac(), config.auth()));
    }

    public Config config() {
        return config;
    }

    public DropCounters counters() {
        return counters;
    }

    /**
     * Validates one received Ethernet frame ({@code frame.remaining()} bytes from its position,
     * which does not move) and counts it if dropped. Never throws.
     */
    public AdvertChain.Verdict check(ByteBuffer frame) {
        return check(frame, f -> true);
    }

    /**
     * As {@link #check(ByteBuffer)}, telling our own adverts from forgeries in our name: a frame from one of our own
     * sources that {@code ours} does not recognise ({@link OwnAdverts}) is dropped as
     * {@link DropReason#SPOOFED_SOURCE} instead of {@link DropReason#OWN_SOURCE}.
     */
    public AdvertChain.Verdict check(ByteBuffer frame, Predicate<ByteBuffer> ours) {
        return replayCheckedAndCounted(frame, describe(frame, ours));
    }

    /**
     * The receive loop's one pass under a flood of invalid frames (issue 16): as {@link #check(ByteBuffer,
     * Predicate)}, but a drop by the chain is a bare one ({@link AdvertChain.Verdict.Dropped#bare()}), so a dropped
     * frame allocates nothing; a caller that logs it asks {@link #describe} for the words. An accepted advert goes
     * through the replay window as in check, in the same pass.
     */
    public AdvertChain.Verdict checkLean(ByteBuffer frame, Predicate<ByteBuffer> ours) {
        AdvertChain.Verdict verdict = chain.checkLean(frame);
        if (verdict instanceof AdvertChain.Verdict.Dropped d && d.reason() == DropReason.OWN_SOURCE
                && !ours.test(frame)) {
            verdict = AdvertChain.bare(AdvertChain.Guard.SPOOFED_SOURCE);
        }
        return replayCheckedAndCounted(frame, verdict);
    }

    private AdvertChain.Verdict replayCheckedAndCounted(ByteBuffer frame, AdvertChain.Verdict verdict) {
        if (verdict instanceof AdvertChain.Verdict.Accepted a && a.strict()
                && !replays.accept(a.packet().ipSrc(), a.packet().counter())) {
            verdict = chain.replayed(frame, a, replays.highest(a.packet().ipSrc()));
        }
        if (verdict instanceof AdvertChain.Verdict.Dropped dropped) {
            counters.increment(dropped.reason());
        }
        return verdict;
    }

    /**
     * The chain's verdict with our own adverts told from forgeries, as {@link #check(ByteBuffer, Predicate)} gives
     * it but without the replay window and without counting: the words for a bare drop {@link #checkLean} counted.
     */
    public AdvertChain.Verdict describe(ByteBuffer frame, Predicate<ByteBuffer> ours) {
        AdvertChain.Verdict verdict = chain.check(frame);
        if (verdict instanceof AdvertChain.Verdict.Dropped d && d.reason() == DropReason.OWN_SOURCE
                && !ours.test(frame)) {
            verdict = d.spoofed(MacAddress.of(frame, frame.position() + CarpCodec.ETH_SRC));
        }
        return verdict;
    }
}
