package dev.karp.sniff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.Advert;
import dev.karp.carp.AuthMode;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpCodec;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpPassword;
import dev.karp.carp.CarpSender;
import dev.karp.carp.DigestStatus;
import dev.karp.carp.DropReason;
import dev.karp.carp.VipAddresses;
import java.net.Inet4Address;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** karp sniff --auth: which digest verified, and why a strict node drops the others. */
class SniffStrictTest {
    static final Inet4Address A = Carp.ipv4(10, 200, 0, 11);
    static final VipAddresses VIPS = VipAddresses.of(Carp.ipv4(10, 200, 0, 100));
    static final CarpPassword PASSWORD = CarpPassword.of("s3cret");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static CapturedFrame advert(AuthMode mode, int millis) {
        CarpSender s = new CarpSender(A, Carp.DEFAULT_GROUP, false, VIPS, new CarpHmac(PASSWORD)).withAuth(mode);
        return new CapturedFrame(T0.plusMillis(millis), CarpCodec.encode(s, new Advert(7, 1, 0, 1000 + millis), 1));
    }

    static List<SniffRecord.Carp> analyze(AuthMode mode, CapturedFrame... frames) {
        SniffConfig config = SniffConfig.withPassword(PASSWORD).withVips(VIPS).withAuth(mode);
        return SniffAnalyzer.analyze(config, List.of(frames)).records().stream()
                .filter(SniffRecord.Carp.class::isInstance).map(SniffRecord.Carp.class::cast).toList();
    }

    @Test
    void withAuthStrictEachAdvertSaysWhichDigestVerifiedOrWhyItIsForged() {
        List<SniffRecord.Carp> r = analyze(AuthMode.STRICT, advert(AuthMode.STRICT, 0), advert(AuthMode.MIGRATE, 1000),
                advert(AuthMode.UCARP, 2000));

        assertThat(r).extracting(SniffRecord.Carp::digest)
                .containsExactly(DigestStatus.VALID, DigestStatus.VALID, DigestStatus.INVALID);
        assertThat(r).extracting(SniffRecord.Carp::verifiedAs)
                .containsExactly(Optional.of(AuthMode.STRICT), Optional.of(AuthMode.STRICT), Optional.empty());
        assertThat(r.get(2).drop()).contains(DropReason.FORGED);
        assertThat(r.get(2).problems()).anyMatch(p -> p.contains("valid --auth ucarp advert"));
    }

    @Test
    void withoutAuthAStrictAdvertIsABadUcarpDigestAndAMigrateOneAValidUcarpOne() {
        List<SniffRecord.Carp> r = analyze(AuthMode.UCARP, advert(AuthMode.STRICT, 0), advert(AuthMode.MIGRATE, 1000));

        assertThat(r).extracting(SniffRecord.Carp::digest).containsExactly(DigestStatus.INVALID, DigestStatus.VALID);
        assertThat(r.get(1).verifiedAs()).contains(AuthMode.UCARP);
    }
}
