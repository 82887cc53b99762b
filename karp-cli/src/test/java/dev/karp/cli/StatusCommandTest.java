package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.status.StatusJson;
import dev.karp.status.StatusServer;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code karp status} against a status endpoint serving a fixed snapshot (no daemon). */
class StatusCommandTest {
    static final Instant SINCE = Instant.parse("2026-11-26T11:09:22.123Z");

    static StatusSnapshot backup() {
        return new StatusSnapshot("BACKUP", "10.200.0.100/24", "eth0", 7, 1, 50, "10.200.0.11", SINCE, 3, false, null,
                List.of(new StatusSnapshot.Peer("10.200.0.11", 1, 0, 340)),
                new StatusSnapshot.Counters(4, 120, Map.of("BAD_DIGEST", 6L, "BAD_TTL", 1L)),
                List.of(new StatusSnapshot.Transition(Instant.parse("2026-11-26T11:09:19.000Z"), "INIT", "BACKUP", "start"),
                        new StatusSnapshot.Transition(Instant.parse("2026-11-26T11:09:20.500Z"), "BACKUP", "MASTER",
                                "master down: no advert for 3.003 s"),
                        new StatusSnapshot.Transition(SINCE, "MASTER", "BACKUP", "preferred master advertised")),
                3.195);
    }

    StatusServer server;
    String addr;

    @BeforeEach
    void serve() throws IOException {
        server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), StatusCommandTest::backup,
                () -> true);
        addr = "127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void thePlainTableShowsStateVipMasterPeersCountersAndChanges() {
        // when
        CliRun run = CliRun.of("status", "--status-addr", addr);

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).contains(
                "vip       10.200.0.100/24 on eth0: absent",
                "master    10.200.0.11",
                "takeover  after 3.195 s without an advert",
                "vhid      7  advbase 1  advskew 50",
                "health    ok",
                "peers     source           advbase  advskew  last advert",
                "          10.200.0.11      1        0        340 ms ago",
                "adverts   sent 4  received 120  rejected 7",
                "            6        bad HMAC (BAD_DIGEST)",
                "            1        bad TTL (BAD_TTL)",
                "changes   3 since start; the last:",
                "  2026-11-26T11:09:20.500Z  BACKUP  -> MASTER  master down: no advert for 3.003 s",
                "  2026-11-26T11:09:22.123Z  MASTER  -> BACKUP  preferred master advertised");
        assertThat(run.out().lines().findFirst().orElseThrow())
                .matches("state     BACKUP since 2026-11-26T11:09:22Z \\(.+\\)");
    }

    @Test
    void jsonIsTheDaemonsSnapshotAsOneObject() throws IOException {
        // when
        CliRun run = CliRun.of("status", "--status-addr", addr, "--json");

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(1);
        assertThat(StatusJson.read(run.out().getBytes(StandardCharsets.UTF_8))).isEqualTo(backup());
    }

    @Test
    void anUnreachableDaemonIsOneLineNamingTheAddressAndExit1() throws IOException {
        // given: a port nobody listens on
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }

        // when
        CliRun run = CliRun.of("status", "--status-addr", "127.0.0.1:" + free);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("karp: cannot reach karp's status endpoint at 127.0.0.1:" + free + ": ")
                .endsWith("is 'karp run' running with --status-addr 127.0.0.1:" + free + "?");
    }

    @Test
    void aBadAddressIsAUsageError() {
        // when
        CliRun run = CliRun.of("status", "--status-addr", "localhost");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("karp: --status-addr localhost is not ADDRESS:PORT (expected e.g. 127.0.0.1:9241)\n");
    }

    @Test
    void watchWithoutATerminalSaysSoAndExits2() {
        // when: surefire's standard input and output are pipes
        CliRun run = CliRun.of("status", "--status-addr", addr, "--watch");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("karp: --watch needs a terminal (standard input and output are not one);"
                + " use karp status or --json in scripts\n");
    }

    @Test
    void jsonAndWatchTogetherAreAUsageError() {
        // when
        CliRun run = CliRun.of("status", "--json", "--watch");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("karp: --json and --watch do not go together");
    }

    @Test
    void anIntervalOutOfRangeIsAUsageError() {
        // when
        CliRun run = CliRun.of("status", "--watch", "--interval", "0");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("karp: --interval 0.0 is out of range (expected: 0.1 to 3600 seconds)\n");
    }

    @Test
    void relativeTimesDoNotCountAsChangesForTheLiveView() {
        // given
        Instant now = SINCE.plusSeconds(10);

        // when
        List<StatusText.Line> a = StatusText.lines(backup(), now);
        List<StatusText.Line> b = StatusText.lines(backup(), now.plusSeconds(5));

        // then
        assertThat(a.stream().map(StatusText.Line::key)).containsExactlyElementsOf(b.stream().map(StatusText.Line::key).toList());
        assertThat(a.get(0).text()).isNotEqualTo(b.get(0).text());
    }
    @Test
    void theAlertsAreShownOnlyWhenThereIsSomethingToSay() {
        // given
        StatusSnapshot b = backup();
        StatusSnapshot alerted = new StatusSnapshot(b.state(), b.vip(), b.interfaceName(), b.vhid(), b.advbase(),
                b.advskew(), b.master(), b.since(), b.transitions(), b.vipPresent(), b.health(), b.peers(), b.counters(),
                b.lastTransitions(), b.masterDownSeconds(), b.vips(), List.of(), b.unheardPeers(),
                new StatusSnapshot.Alerts("02:00:00:00:00:77", 3, "10.200.0.100 at 02:00:00:00:00:77",
                        "following 10.200.0.99, a master that does not hold the VIP: no host answers ARP for 10.200.0.100",
                        1, null, 12L, 0L));

        // when
        List<String> plain = StatusText.lines(b, SINCE).stream().map(StatusText.Line::text).toList();
        List<String> text = StatusText.lines(alerted, SINCE).stream().map(StatusText.Line::text).toList();

        // then
        assertThat(plain).noneMatch(l -> l.startsWith("SPOOFING") || l.startsWith("CONFLICT") || l.startsWith("capture"));
        assertThat(text).contains("SPOOFING  adverts in this node's name from 02:00:00:00:00:77",
                "CONFLICT  3 claims of the VIP by another host; the last: 10.200.0.100 at 02:00:00:00:00:77",
                "PHANTOM   following 10.200.0.99, a master that does not hold the VIP: no host answers ARP for 10.200.0.100",
                "2 MASTERS 1 times",
                "capture   libpcap dropped 12 frames (ring full), 0 (interface)");
    }
}
