package dev.karp.carp;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Objects;

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
     * @param ownSource our {@code --srcip}; adverts from it are our own
     * @param vhid      our vhid
     * @param group     our multicast group; also the IP destination with nomcast
     * @param vip       our VIP, part of the HMAC message
     * @param hmac      keyed with our password
     */
    public record Config(Inet4Address ownSource, int vhid, Inet4Address group, Inet4Address vip, CarpHmac hmac) {
        public Config {
            Objects.requireNonNull(ownSource, "ownSource");
            Carp.checkVhid(vhid);
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(vip, "vip");
            Objects.requireNonNull(hmac, "hmac");
        }
    }

    private final Config config;
    private final DropCounters counters;
    private final AdvertChain chain;

    public AdvertFilter(Config config, DropCounters counters) {
        this.config = Objects.requireNonNull(config, "config");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.chain = new AdvertChain(AdvertChain.Expect.all(config.ownSource(), config.vhid(), config.group(),
                config.vip(), config.hmac()));
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
        AdvertChain.Verdict verdict = chain.check(frame);
        if (verdict instanceof AdvertChain.Verdict.Dropped dropped) {
            counters.increment(dropped.reason());
        }
        return verdict;
    }
}
