package dev.karp.sniff;

import dev.karp.carp.AuthMode;
import dev.karp.carp.CarpPassword;
import dev.karp.carp.VipAddresses;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link SniffAnalyzer} is told.
 *
 * @param password checks HMACs when present; without it every digest is {@code unchecked}
 * @param vips     the vhid's addresses (both families) of the HMAC message; without them, each
 *                 address announced by a gratuitous ARP in the capture is tried as the only VIP
 * @param vhid     only this vhid (CARP) or VRID (VRRP) is analysed when present
 * @param auth     which digests verify, as a daemon with this {@code --auth} takes them
 */
public record SniffConfig(Optional<CarpPassword> password, Optional<VipAddresses> vips, OptionalInt vhid, AuthMode auth) {
    public SniffConfig {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(vips, "vips");
        Objects.requireNonNull(vhid, "vhid");
    }

    /** Digests checked UCarp's way. */
    public SniffConfig(Optional<CarpPassword> password, Optional<VipAddresses> vips, OptionalInt vhid) {
        this(password, vips, vhid, AuthMode.UCARP);
    }

    public SniffConfig withAuth(AuthMode mode) {
        return new SniffConfig(password, vips, vhid, mode);
    }

    /** No password, no VIP, every vhid. */
    public static SniffConfig unchecked() {
        return new SniffConfig(Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    public static SniffConfig withPassword(CarpPassword password) {
        return new SniffConfig(Optional.of(password), Optional.empty(), OptionalInt.empty());
    }

    public SniffConfig withVips(VipAddresses addresses) {
        return new SniffConfig(password, Optional.of(addresses), vhid);
    }

    public SniffConfig withVhid(int id) {
        return new SniffConfig(password, vips, OptionalInt.of(id));
    }
}
