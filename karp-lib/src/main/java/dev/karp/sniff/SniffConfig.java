package dev.karp.sniff;

import dev.karp.carp.CarpPassword;
import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link SniffAnalyzer} is told.
 *
 * @param password checks HMACs when present; without it every digest is {@code unchecked}
 * @param vip      the VIP of the HMAC message; without it, the addresses announced by gratuitous
 *                 ARPs in the capture are tried
 * @param vhid     only this vhid (CARP) or VRID (VRRP) is analysed when present
 */
public record SniffConfig(Optional<CarpPassword> password, Optional<Inet4Address> vip, OptionalInt vhid) {
    public SniffConfig {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(vhid, "vhid");
    }

    /** No password, no VIP, every vhid. */
    public static SniffConfig unchecked() {
        return new SniffConfig(Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    public static SniffConfig withPassword(CarpPassword password) {
        return new SniffConfig(Optional.of(password), Optional.empty(), OptionalInt.empty());
    }

    public SniffConfig withVip(Inet4Address address) {
        return new SniffConfig(password, Optional.of(address), vhid);
    }

    public SniffConfig withVhid(int id) {
        return new SniffConfig(password, vip, OptionalInt.of(id));
    }
}
