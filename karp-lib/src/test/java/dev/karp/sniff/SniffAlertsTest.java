package dev.karp.sniff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.Advert;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpCodec;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpSender;
import dev.karp.sniff.SniffAlerts.Alert;
import dev.karp.sniff.SniffAlerts.Kind;
import dev.karp.testing.Vectors;
import dev.karp.testing.VrrpFrames;
import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SniffAlertsTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Inet4Address A = Vectors.NODE_A;
    private static final Inet4Address C = Vectors.NODE_C;

    /** Feeds frames to a live analyzer and returns the alerts in order. */
    private static List<Alert> alerts(SniffConfig config, List<CapturedFrame> frames) {
        SniffAnalyzer analyzer = SniffAnalyzer.live(config);
        SniffAlerts alerts = new SniffAlerts(config.password().isPresent());
        List<Alert> out = new ArrayList<>();
        for (CapturedFrame f : frames) {
            analyzer.offer(f).ifPresent(r -> out.addAll(alerts.offer(r)));
        }
        return out;
    }

    private static SniffConfig s3cret() {
        return SniffConfig.withPassword(Vectors.password());
    }

    private static CapturedFrame advert(Inet4Address src, double seconds, int advskew, long counter) {
        CarpSender sender = new CarpSender(src, Carp.ipv4(224, 0, 0, 18), false, Vectors.VIPS,
                new CarpHmac(Vectors.password()));
        byte[] bytes = CarpCodec.encode(sender, new Advert(Vectors.VHID, 1, advskew, counter), 1);
        return new CapturedFrame(T0.plus(Duration.ofMillis(Math.round(seconds * 1000))), bytes);
    }

    /** Two masters advertising once a second each, B offset by 0.3 s, from 0 to {@code seconds}. */
    private static List<CapturedFrame> splitBrain(int seconds) {
        List<CapturedFrame> frames = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            frames.add(advert(A, i, 0, 100 + i));
            frames.add(advert(C, i + 0.3, 50, 200 + i));
        }
        return frames;
    }

    @Test
    void twoSourcesAdvertisingSideBySideAreReportedAsSplitBrainOnce() {
        // when
        List<Alert> out = alerts(s3cret().withVips(Vectors.VIPS), splitBrain(10));

        // then
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.SPLIT_BRAIN);
            assertThat(a.vhid()).isEqualTo(7);
            assertThat(a.sources()).containsExactly(A, C);
            assertThat(a.message()).startsWith("vhid 7: two masters: 10.200.0.11 and 10.200.0.13 both advertise");
            // A's third advert since C became master at 0.3 s: three each, side by side
            assertThat(a.time()).isEqualTo(T0.plusMillis(3000));
        });
    }

    @Test
    void aCleanPreemptionIsNoSplitBrain() {
        // when: capture 03, B master, then A preempts and B sends one last advert
        List<Alert> out = alerts(s3cret(), Vectors.frames("03-preempt-election.pcap"));

        // then
        assertThat(out).isEmpty();
    }

    @Test
    void twoNodesStartingTogetherAreNoSplitBrain() {
        // when: captures 01 and 08, both master for up to a second at start (ucarp-spec §7.5)
        List<Alert> first = alerts(s3cret(), Vectors.frames("01-startup-failover-sigterm-shutdown.pcap"));
        List<Alert> second = alerts(s3cret(), Vectors.frames("08-tiebreak-equal-params.pcap"));

        // then
        assertThat(first).isEmpty();
        assertThat(second).isEmpty();
    }

    @Test
    void aMasterThatBowsOutEndsItsPeriod() {
        // given: C bows out after two adverts, then A alone
        List<CapturedFrame> frames = new ArrayList<>(List.of(advert(A, 0, 0, 1), advert(C, 0.3, 50, 2),
                advert(A, 1, 0, 3)));
        CarpSender sender = new CarpSender(C, Carp.ipv4(224, 0, 0, 18), false, Vectors.VIPS, new CarpHmac(Vectors.password()));
        frames.add(new CapturedFrame(T0.plusMillis(1300), CarpCodec.encode(sender, new Advert(7, 255, 255, 4), 1)));
        for (int i = 2; i < 8; i++) {
            frames.add(advert(A, i, 0, 10 + i));
        }

        // when
        List<Alert> out = alerts(s3cret().withVips(Vectors.VIPS), frames);

        // then
        assertThat(out).isEmpty();
    }

    @Test
    void aPeerWithAnotherPasswordIsReportedOnceByItsFirstAdvert() {
        // when: capture 05, C runs with another password
        List<Alert> out = alerts(s3cret(), Vectors.frames("05-wrong-password.pcap"));

        // then
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.BAD_DIGEST);
            assertThat(a.sources()).containsExactly(C);
            assertThat(a.message()).isEqualTo("vhid 7: the HMAC of 10.200.0.13's adverts does not verify with this "
                    + "password and VIP; that node has another password, VIP or vhid (karp run drops them as bad HMAC, UCarp logs 'Bad digest'; neither acts on them)");
        });
    }

    @Test
    void withoutAPasswordNothingIsSaidAboutDigests() {
        // when
        List<Alert> out = alerts(SniffConfig.unchecked(), Vectors.frames("05-wrong-password.pcap"));

        // then
        assertThat(out).isEmpty();
    }

    @Test
    void aPasswordWithoutAnyVipToCheckWithIsSaidOnce() {
        // given: adverts only, no gratuitous ARP and no --vip
        List<CapturedFrame> frames = List.of(advert(A, 0, 0, 1), advert(A, 1, 0, 2));

        // when
        List<Alert> out = alerts(s3cret(), frames);

        // then
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.UNCHECKED_DIGEST);
            assertThat(a.message()).isEqualTo(
                    "vhid 7: cannot check HMACs yet: no VIP known (pass --vip, or wait for a gratuitous ARP)");
        });
    }

    @Test
    void aVrrpRouterOnTheSameIdIsReportedWhicheverComesFirst() {
        // given
        CapturedFrame vrrp = new CapturedFrame(T0.plusMillis(500), VrrpFrames.V3);
        List<CapturedFrame> carpFirst = List.of(advert(A, 0, 0, 1), vrrp, advert(A, 1, 0, 2));
        List<CapturedFrame> vrrpFirst = List.of(new CapturedFrame(T0.minusMillis(500), VrrpFrames.V3),
                advert(A, 0, 0, 1), advert(A, 1, 0, 2));

        // when
        List<Alert> a = alerts(SniffConfig.unchecked(), carpFirst);
        List<Alert> b = alerts(SniffConfig.unchecked(), vrrpFirst);

        // then
        for (List<Alert> out : List.of(a, b)) {
            assertThat(out).singleElement().satisfies(x -> {
                assertThat(x.kind()).isEqualTo(Kind.VRRP_SAME_ID);
                assertThat(x.sources()).containsExactly(Carp.ipv4(10, 200, 0, 5));
                assertThat(x.message()).isEqualTo("VRRP router 10.200.0.5 uses VRID 7, the same as CARP vhid 7: UCarp "
                        + "drops its adverts as bad and logs each one; give one of them another ID");
            });
        }
    }
}
