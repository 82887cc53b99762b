package dev.karp;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One more CARP group for a {@link VipFailover} that runs several: its own vhid and VIPs, and optionally its own
 * interval, preemption, interface, password and scripts. Whatever a group leaves unset comes from the
 * {@link VipFailover.Builder} it is added to, so a failover with three groups that differ only in vhid, VIP and
 * advskew names the shared settings once:
 *
 * <pre>{@code
 * VipFailover.builder()
 *         .interfaceName("eth0").passwordFile(Path.of("/etc/karp/password"))
 *         .group(VipGroup.builder().vhid(1).vip("10.200.0.101/24").advskew(0).build())
 *         .group(VipGroup.builder().vhid(2).vip("10.200.0.102/24").advskew(100).build())
 *         .group(VipGroup.builder().vhid(3).vip("10.200.0.103/24").vip("fd00:200::103/64").advskew(200).build())
 *         .build();
 * }</pre>
 *
 * Values are checked by {@link VipFailover.Builder#build()}, which names the group's vhid in its messages.
 */
public final class VipGroup {
    private final int vhid;
    private final List<String> vips;
    private final OptionalInt advbase;
    private final OptionalInt advskew;
    private final Optional<Boolean> preempt;
    private final Optional<String> interfaceName;
    private final Optional<InetAddress> sourceAddress;
    private final Optional<byte[]> password;
    private final Optional<Path> passwordFile;
    private final Optional<Path> upscript;
    private final Optional<Path> downscript;
    private final Optional<String> scriptArgument;

    private VipGroup(Builder b) {
        this.vhid = b.vhid;
        this.vips = List.copyOf(b.vips);
        this.advbase = b.advbase;
        this.advskew = b.advskew;
        this.preempt = b.preempt;
        this.interfaceName = b.interfaceName;
        this.sourceAddress = b.sourceAddress;
        this.password = b.password.map(byte[]::clone);
        this.passwordFile = b.passwordFile;
        this.upscript = b.upscript;
        this.downscript = b.downscript;
        this.scriptArgument = b.scriptArgument;
    }

    /**
     * A builder for one group.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the virtual host id
     */
    public int vhid() {
        return vhid;
    }

    /**
     * @return the VIPs as given, in order
     */
    public List<String> vips() {
        return vips;
    }

    OptionalInt advbase() {
        return advbase;
    }

    OptionalInt advskew() {
        return advskew;
    }

    Optional<Boolean> preempt() {
        return preempt;
    }

    Optional<String> interfaceName() {
        return interfaceName;
    }

    Optional<InetAddress> sourceAddress() {
        return sourceAddress;
    }

    Optional<byte[]> password() {
        return password.map(byte[]::clone);
    }

    Optional<Path> passwordFile() {
        return passwordFile;
    }

    Optional<Path> upscript() {
        return upscript;
    }

    Optional<Path> downscript() {
        return downscript;
    }

    Optional<String> scriptArgument() {
        return scriptArgument;
    }

    @Override
    public String toString() {
        return "VipGroup[vhid=" + vhid + ", vips=" + vips + "]";
    }

    /** Collects one group's settings; {@link #vhid(int)} and at least one {@link #vip(String)} are required. */
    public static final class Builder {
        private Integer vhidValue;
        private int vhid;
        private final List<String> vips = new ArrayList<>();
        private OptionalInt advbase = OptionalInt.empty();
        private OptionalInt advskew = OptionalInt.empty();
        private Optional<Boolean> preempt = Optional.empty();
        private Optional<String> interfaceName = Optional.empty();
        private Optional<InetAddress> sourceAddress = Optional.empty();
        private Optional<byte[]> password = Optional.empty();
        private Optional<Path> passwordFile = Optional.empty();
        private Optional<Path> upscript = Optional.empty();
        private Optional<Path> downscript = Optional.empty();
        private Optional<String> scriptArgument = Optional.empty();

        private Builder() {
        }

        /**
         * @param vhid the group's virtual host id, 1..255, unique among the groups of an interface (required)
         * @return this builder
         */
        public Builder vhid(int vhid) {
            this.vhidValue = vhid;
            this.vhid = vhid;
            return this;
        }

        /**
         * Adds a VIP; call once per address. All VIPs of a group move together.
         *
         * @param cidr an IPv4 or IPv6 address with an optional prefix, as {@link VipFailover.Builder#vip(String)}
         * @return this builder
         */
        public Builder vip(String cidr) {
            vips.add(Objects.requireNonNull(cidr, "cidr"));
            return this;
        }

        /**
         * @param seconds this group's advert interval base (default: the failover's)
         * @return this builder
         */
        public Builder advbase(int seconds) {
            this.advbase = OptionalInt.of(seconds);
            return this;
        }

        /**
         * @param skew this group's skew (default: the failover's); staggered skews spread groups over the nodes
         * @return this builder
         */
        public Builder advskew(int skew) {
            this.advskew = OptionalInt.of(skew);
            return this;
        }

        /**
         * @param value this group's preemption (default: the failover's)
         * @return this builder
         */
        public Builder preempt(boolean value) {
            this.preempt = Optional.of(value);
            return this;
        }

        /**
         * @param name the interface this group runs on (default: the failover's)
         * @return this builder
         */
        public Builder interfaceName(String name) {
            this.interfaceName = Optional.of(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * @param address this node's IPv4 address on the group's interface (default: as for the failover)
         * @return this builder
         */
        public Builder sourceAddress(InetAddress address) {
            this.sourceAddress = Optional.of(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * @param value this group's password (default: the failover's); copied, never logged
         * @return this builder
         */
        public Builder password(byte[] value) {
            this.password = Optional.of(Objects.requireNonNull(value, "value").clone());
            this.passwordFile = Optional.empty();
            return this;
        }

        /**
         * @param file a file whose first line is this group's password (default: the failover's)
         * @return this builder
         */
        public Builder passwordFile(Path file) {
            this.passwordFile = Optional.of(Objects.requireNonNull(file, "file"));
            this.password = Optional.empty();
            return this;
        }

        /**
         * @param script this group's upscript (default: the failover's)
         * @return this builder
         */
        public Builder upscript(Path script) {
            this.upscript = Optional.of(Objects.requireNonNull(script, "script"));
            return this;
        }

        /**
         * @param script this group's downscript (default: the failover's)
         * @return this builder
         */
        public Builder downscript(Path script) {
            this.downscript = Optional.of(Objects.requireNonNull(script, "script"));
            return this;
        }

        /**
         * @param argument this group's third script argument (default: the failover's)
         * @return this builder
         */
        public Builder scriptArgument(String argument) {
            this.scriptArgument = Optional.of(Objects.requireNonNull(argument, "argument"));
            return this;
        }

        /**
         * @return the group
         * @throws FailoverConfigException if the vhid or every VIP is missing
         */
        public VipGroup build() {
            if (vhidValue == null) {
                throw new FailoverConfigException("vhid", "vhid is required for every group (1..255)");
            }
            if (vips.isEmpty()) {
                throw new FailoverConfigException("vip", "vhid " + vhid + ": vip is required, e.g. 10.200.0.100/24");
            }
            return new VipGroup(this);
        }
    }
}
