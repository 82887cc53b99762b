package dev.karp.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.carp.MacAddress;
import dev.karp.net.IpAddresses;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FakeLinkTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final FakeSegment segment = new FakeSegment(clock::get);
    private final FakeLink a = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:11"),
            IpAddresses.parseIpv4("10.200.0.11"));
    private final FakeLink b = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:12"),
            IpAddresses.parseIpv4("10.200.0.12"));

    @Test
    void anAdvertSentOnOneLinkArrivesOnTheOtherWithTheSegmentClock() throws LinkException {
        a.send(TestFrames.carpAdvert());

        Optional<ReceivedFrame> got = b.receive(Duration.ZERO);

        assertThat(got).hasValueSatisfying(f -> {
            assertThat(f.frame()).isEqualTo(TestFrames.carpAdvert());
            assertThat(f.receivedNanos()).isEqualTo(1_000);
        });
        assertThat(a.sentFrames()).hasSize(1);
        assertThat(segment.wire()).hasSize(1);
    }

    @Test
    void aLinkAttachedWithALinkLocalTakesOtherNodesIpv6CarpFramesLikePcapLinks() throws LinkException {
        java.net.Inet6Address own = (java.net.Inet6Address) IpAddresses.parse("fe80::ff:fe00:13").orElseThrow();
        java.net.Inet6Address other = (java.net.Inet6Address) IpAddresses.parse("fe80::ff:fe00:11").orElseThrow();
        FakeLink c = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:13"), IpAddresses.parseIpv4("10.200.0.13"),
                Optional.of(own));

        a.send(PcapLinkIpv6NetnsTest.ipv6Carp(own, 112));
        a.send(PcapLinkIpv6NetnsTest.ipv6Carp(other, 17));
        a.send(PcapLinkIpv6NetnsTest.ipv6Carp(other, 112));

        // From our own source too: the capture reads incoming frames only, so that one is a forgery in our name.
        assertThat(c.receive(Duration.ZERO)).map(ReceivedFrame::frame)
                .hasValueSatisfying(f -> assertThat(f).isEqualTo(PcapLinkIpv6NetnsTest.ipv6Carp(own, 112)));
        assertThat(c.receive(Duration.ZERO)).map(ReceivedFrame::frame)
                .hasValueSatisfying(f -> assertThat(f).isEqualTo(PcapLinkIpv6NetnsTest.ipv6Carp(other, 112)));
        assertThat(c.receive(Duration.ZERO)).isEmpty();
        assertThat(b.receive(Duration.ZERO)).as("an IPv4-only link").isEmpty();
    }

    @Test
    void theFilterPassesCarpFromAnySourceAndArpButNoOtherProtocolLikePcapLinks() throws LinkException {
        a.send(TestFrames.carpAdvertFrom(b.srcip().getAddress()));
        a.send(TestFrames.udpToCarpGroup(a.srcip().getAddress()));
        a.send(TestFrames.gratuitousArp(a.mac().bytes(), a.srcip().getAddress()));

        assertThat(b.receive(Duration.ZERO)).map(ReceivedFrame::frame)
                .hasValueSatisfying(f -> assertThat(f).isEqualTo(TestFrames.carpAdvertFrom(b.srcip().getAddress())));
        assertThat(b.receive(Duration.ZERO)).map(ReceivedFrame::frame).hasValueSatisfying(f -> assertThat(f)
                .isEqualTo(TestFrames.gratuitousArp(a.mac().bytes(), a.srcip().getAddress())));
        assertThat(b.receive(Duration.ZERO)).isEmpty();
        assertThat(segment.wire()).hasSize(3);
    }

    @Test
    void aDisconnectedLinkNeitherSendsNorReceivesButStaysUp() throws LinkException {
        b.disconnect();

        a.send(TestFrames.carpAdvert());
        b.send(TestFrames.carpAdvertFrom(b.srcip().getAddress()));

        assertThat(b.receive(Duration.ZERO)).isEmpty();
        assertThat(a.receive(Duration.ZERO)).isEmpty();
        assertThat(b.state()).isEqualTo(LinkState.UP);
    }

    @Test
    void aStateChangeEndsAWaitingReceiveAndBlocksSending() throws Exception {
        CompletableFuture<Optional<ReceivedFrame>> waiting =
                CompletableFuture.supplyAsync(() -> receiveQuietly(b, Duration.ofSeconds(30)));

        b.setState(LinkState.NO_CARRIER);

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(b.state()).isEqualTo(LinkState.NO_CARRIER);
        assertThatThrownBy(() -> b.send(TestFrames.carpAdvert())).hasMessage("cannot send on eth0: Network is down");
    }

    @Test
    void wakeupEndsAWaitingReceive() throws Exception {
        CompletableFuture<Optional<ReceivedFrame>> waiting =
                CompletableFuture.supplyAsync(() -> receiveQuietly(b, Duration.ofSeconds(30)));

        b.wakeup();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void scriptedSendFailuresAreReportedUntilCleared() throws LinkException {
        a.failSends(true);

        assertThatThrownBy(() -> a.send(TestFrames.carpAdvert())).isInstanceOf(LinkException.class);
        a.failSends(false);
        a.send(TestFrames.carpAdvert());
        assertThat(b.receive(Duration.ZERO)).isPresent();
    }

    @Test
    void injectedFramesPassTheSameFilter() throws LinkException {
        b.inject(TestFrames.udpToCarpGroup(b.srcip().getAddress()));
        b.inject(TestFrames.carpAdvert());

        assertThat(b.receive(Duration.ZERO)).map(ReceivedFrame::frame)
                .hasValueSatisfying(f -> assertThat(f).isEqualTo(TestFrames.carpAdvert()));
        assertThat(b.receive(Duration.ZERO)).isEmpty();
    }

    private static Optional<ReceivedFrame> receiveQuietly(Link link, Duration timeout) {
        try {
            return link.receive(timeout);
        } catch (LinkException e) {
            throw new IllegalStateException(e);
        }
    }
}
