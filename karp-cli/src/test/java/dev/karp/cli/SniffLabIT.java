package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.carp.Carp;
import dev.karp.lab.Await;
import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.link.PcapLink;
import dev.karp.sniff.CapturedFrame;
import dev.karp.testing.DualStackCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Live {@code karp sniff -i} in the netns lab, against real UCarp and karp adverts. */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(300)
class SniffLabIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private NetnsLab lab;

    @BeforeEach
    void buildLab() throws IOException {
        lab = NetnsLab.create(3);
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    private static List<JsonNode> records(String text, String kind) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    JsonNode n = JSON.readTree(line);
                    if (n.path("record").asText().equals(kind)) {
                        out.add(n);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    private LabProcess sniff(LabHost host, String name, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("sniff", "-i", "eth0"));
        args.addAll(List.of(options));
        LabProcess p = lab.start(host, name, NetnsLab.karp(args.toArray(String[]::new)).toArray(String[]::new));
        assertThat(p.awaitLog("karp: capturing CARP, VRRP and ARP on eth0", NetnsLab.SETTLE)).as(p.logText()).isTrue();
        return p;
    }

    private static long count(LabProcess p, String src) {
        return records(p.logText(), "packet").stream().filter(n -> n.path("src").asText().equals(src)).count();
    }

    @Test
    void liveSniffDecodesUcarpAndKarpAdvertsAndItsFileReadsBackTheSameInKarpAndTshark() throws Exception {
        // given: ucarp master on n1, karp backup on n2, a capture on the client
        LabHost n1 = lab.node(1);
        LabHost n2 = lab.node(2);
        LabProcess ucarp = lab.startUcarpInGroup(n1, "--advskew=0");
        LabProcess karp2 = lab.startKarp(n2, "--advskew", "50");
        assertThat(lab.awaitStatus(n2, s -> "10.200.0.11".equals(s.master()))).as(karp2.logText()).isPresent();
        Path file = lab.dir().resolve("live.pcap");
        LabProcess sniff = sniff(lab.client(), "sniff-live", "--password", NetnsLab.PASSWORD, "--vip", NetnsLab.VIP,
                "--json", "--write", file.toString());
        assertThat(Await.until(NetnsLab.SETTLE, () -> count(sniff, "10.200.0.11") >= 2)).as(sniff.logText()).isTrue();

        // when: ucarp dies, karp takes over; then Ctrl-C ends the capture
        ucarp.kill();
        assertThat(Await.until(NetnsLab.SETTLE, () -> count(sniff, "10.200.0.12") >= 2)).as(sniff.logText()).isTrue();
        sniff.signal("INT");
        assertThat(sniff.waitFor(Duration.ofSeconds(20))).contains(0);

        // then: both decoded, HMACs valid
        String live = sniff.logText();
        List<JsonNode> packets = records(live, "packet");
        assertThat(packets).extracting(n -> n.path("src").asText()).contains("10.200.0.11", "10.200.0.12");
        assertThat(packets).allSatisfy(n -> {
            assertThat(n.path("proto").asText()).isEqualTo("carp");
            assertThat(n.path("vhid").asInt()).isEqualTo(7);
            assertThat(n.path("digest").asText()).isEqualTo("valid");
            assertThat(n.path("checksum").asText()).isEqualTo("ok");
        });
        assertThat(packets.stream().filter(n -> n.path("src").asText().equals("10.200.0.12")))
                .allSatisfy(n -> assertThat(n.path("advskew").asInt()).isEqualTo(50));
        JsonNode summary = records(live, "summary").get(0);
        assertThat(summary.path("interface").asText()).isEqualTo("eth0");
        assertThat(summary.path("vhids").get(0).path("masters").findValuesAsText("src"))
                .containsExactly("10.200.0.11", "10.200.0.12");

        // then: --read gives the same packet records
        ExecResult read = lab.runKarp(lab.client(), "sniff", "--read", file.toString(), "--password", NetnsLab.PASSWORD,
                "--vip", NetnsLab.VIP, "--json");
        assertThat(read.exitCode()).as(read.stderr()).isZero();
        assertThat(records(read.stdout(), "packet")).isEqualTo(packets);

        // then: tshark decodes the same adverts from the file
        ExecResult tshark = lab.exec(lab.client(), "tshark", "-r", file.toString(), "-d", "ip.proto==112,carp",
                "-Y", "carp", "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "carp.vhid", "-e", "carp.advskew",
                "-e", "carp.counter");
        assertThat(tshark.exitCode()).as(tshark.stderr()).isZero();
        List<String> fromKarp = packets.stream().map(n -> n.path("src").asText() + "," + n.path("vhid").asInt() + ","
                + n.path("advskew").asInt() + "," + n.path("counter").asText()).toList();
        List<String> fromTshark = tshark.stdout().lines().map(SniffLabIT::decimalCounter).toList();
        assertThat(fromTshark).isEqualTo(fromKarp);
    }

    /** tshark prints the 64-bit counter in hex (0x...); karp in decimal. */
    private static String decimalCounter(String line) {
        String[] f = line.split(",");
        String c = f[3].startsWith("0x") ? new java.math.BigInteger(f[3].substring(2), 16).toString() : f[3];
        return f[0] + "," + f[1] + "," + f[2] + "," + c;
    }

    @Test
    void aWrongPasswordPeerIsRejectedByKarpAndWarnedAboutBySniff() throws Exception {
        // given: karp master on n1; a sniffer that knows the right password
        LabHost n1 = lab.node(1);
        LabProcess karp1 = lab.startKarp(n1, "--advskew", "0", "--metrics-addr", "127.0.0.1:9242");
        assertThat(lab.awaitStatus(n1, s -> s.state().equals("MASTER"))).as(karp1.logText()).isPresent();
        LabProcess sniff = sniff(lab.client(), "sniff-wrongpw", "--password", NetnsLab.PASSWORD, "--vip",
                NetnsLab.VIP);

        // when: ucarp with another password joins on n3; it cannot verify n1 either, so it becomes master too
        lab.startUcarp(lab.node(3), "--vhid=7", "--pass=wrongpw", "--addr=" + NetnsLab.VIP, "--advskew=100");
        boolean rejected = Await.until(NetnsLab.SETTLE, () -> lab.status(n1)
                .map(s -> s.counters().rejected().getOrDefault("BAD_DIGEST", 0L) >= 3).orElse(false));
        boolean warned = Await.until(NetnsLab.SETTLE, () -> sniff.logText().contains("WARNING vhid 7: two masters"));
        sniff.signal("INT");
        sniff.waitFor(Duration.ofSeconds(20));

        // then: counted as BAD_DIGEST in the status, the metrics and the plain table
        assertThat(rejected).as(lab.status(n1).toString()).isTrue();
        assertThat(lab.metrics(n1).value("karp_adverts_rejected_total", "reason", "bad_digest").orElse(0)).isGreaterThanOrEqualTo(3);
        ExecResult table = lab.runKarp(n1, "status");
        assertThat(table.stdout()).containsPattern("\\d+ +bad HMAC \\(BAD_DIGEST\\)");
        assertThat(lab.status(n1).orElseThrow().state()).isEqualTo("MASTER");

        // then: sniff warned at once of the bad digest and, a few adverts later, of the two masters
        assertThat(warned).as(sniff.logText()).isTrue();
        String log = sniff.logText();
        assertThat(log).contains("WARNING vhid 7: the HMAC of 10.200.0.13's adverts does not verify with this password"
                + " and VIP");
        assertThat(log).contains("WARNING vhid 7: two masters: 10.200.0.11 and 10.200.0.13 both advertise (split brain)");
        assertThat(log.lines().filter(l -> l.contains("WARNING") && l.contains("HMAC"))).hasSize(1);
        assertThat(log).contains("hmac=invalid");
    }

    @Test
    void liveSniffDecodesAndVerifiesIpv6AdvertsOfADualStackVhid() throws Exception {
        // given: a capture on the client that knows both addresses of the vhid
        LabProcess sniff = sniff(lab.client(), "sniff-ipv6", "--password", NetnsLab.PASSWORD, "--vip", NetnsLab.VIP,
                "--vip", "fd00:200::100", "--json", "--count", "12");

        // when: node 1 sends the adverts of the dual-stack test capture (both families) onto the link
        try (NetnsThread ns1 = lab.thread(lab.node(1))) {
            PcapLink link = ns1.call(() -> PcapLink.open(PcapLink.Options.of("eth0", Carp.ipv4(10, 200, 0, 11))));
            try {
                for (CapturedFrame f : DualStackCapture.frames()) {
                    link.send(f.bytes());
                }
            } finally {
                link.close();
            }
        }
        assertThat(sniff.waitFor(NetnsLab.SETTLE)).as(sniff.logText()).contains(0);

        // then: the IPv6 adverts were captured (ip6 proto 112), decoded with their addresses and verified
        List<JsonNode> packets = records(sniff.logText(), "packet");
        assertThat(packets).hasSize(12).allSatisfy(n -> {
            assertThat(n.path("digest").asText()).isEqualTo("valid");
            assertThat(n.path("checksum").asText()).isEqualTo("ok");
        });
        assertThat(packets.stream().map(n -> n.path("src").asText() + " > " + n.path("dst").asText()).distinct())
                .containsExactly("10.200.0.11 > 224.0.0.18", "fe80::11 > ff02::12", "10.200.0.12 > 224.0.0.18",
                        "fe80::12 > ff02::12");
    }

    @Test
    void withoutCapNetRawLiveSniffExits1Saying() throws Exception {
        // when: the same command without CAP_NET_RAW in its bounding set
        List<String> argv = new ArrayList<>(List.of("setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw", "--"));
        argv.addAll(NetnsLab.karp("sniff", "-i", "eth0"));
        ExecResult r = lab.exec(Duration.ofSeconds(60), lab.client().netns(), argv.toArray(String[]::new));

        // then
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("karp: cannot capture on eth0: Operation not permitted; karp sniff -i needs"
                + " CAP_NET_RAW: run it as root, or capture with tcpdump -w and use karp sniff --read\n");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void aWriteIntoAMissingDirectoryExits2AndWritesNothing() throws Exception {
        // given
        Path missing = lab.dir().resolve("no-such-dir").resolve("x.pcap");

        // when
        ExecResult r = lab.runKarp(lab.client(), "sniff", "-i", "eth0", "--count", "1", "--write", missing.toString());

        // then
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("karp: --write " + missing + ": no such directory " + missing.getParent() + "\n");
        assertThat(missing.getParent()).doesNotExist();
    }
}
