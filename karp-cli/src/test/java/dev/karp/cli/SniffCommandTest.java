package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.sniff.CapturedFrame;
import dev.karp.testing.DualStackCapture;
import dev.karp.testing.Libpcap;
import dev.karp.testing.PcapWriter;
import dev.karp.testing.Vectors;
import dev.karp.testing.VrrpFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code karp sniff --read} on the UCarp captures, through {@link Karp#commandLine}. */
class SniffCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void needsLibpcap() {
        Libpcap.assumeAvailable();
    }

    int karp(String... args) {
        return Karp.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    String capture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            Files.copy(in, p);
        }
        return p.toString();
    }

    List<String> lines() {
        return Arrays.asList(out.toString().split("\n"));
    }

    List<String> advertLines() {
        return lines().stream().filter(l -> l.matches("\\s*\\d+\\.\\d{3}  (carp|vrrp)  .*")).toList();
    }

    List<JsonNode> json() throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines()) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void capture02PrintsOneLinePerAdvertAndExits0() throws IOException {
        // when
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--password", "s3cret");

        // then
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(advertLines()).hasSize(8);
        assertThat(advertLines().get(0)).isEqualTo("    3.001  carp  10.200.0.11 > 224.0.0.18 vhid=7 advbase=1 advskew=0"
                + " counter=5414637562782288764 hmac=valid ttl=255 sum=ok");
        assertThat(advertLines().get(6)).contains("10.200.0.12 > 224.0.0.18 vhid=7 advbase=1 advskew=50", "hmac=valid");
    }

    @Test
    void theSummaryOf02ShowsAThenBAsMaster() throws IOException {
        // when
        karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--password", "s3cret");

        // then
        List<String> masters = lines().stream().filter(l -> l.startsWith("  master ")).toList();
        assertThat(masters).containsExactly(
                "  master 10.200.0.11         3.001 ..     7.992  (6 adverts, then silent)",
                "  master 10.200.0.12        12.567 ..    13.756  (2 adverts, until the end of the capture)",
                "  master change 10.200.0.11 -> 10.200.0.12 at 12.567 (4.575 s without a master)");
        assertThat(lines()).contains("  two masters: never");
        assertThat(out.toString()).contains("summary of " + dir.resolve("02-failover-sigkill.pcap") + ": 18 frames from ");
    }

    @Test
    void theVipFromTheGratuitousArpIsNamedAndVerified() throws IOException {
        // when
        karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--password", "s3cret");

        // then
        assertThat(lines()).contains("VIP candidates from gratuitous ARPs: 10.200.0.100",
                "vhid 7: 8 adverts from 10.200.0.11, 10.200.0.12; hmac: 8 valid with VIP 10.200.0.100 (from gratuitous ARP)");
    }

    @Test
    void jsonGivesOneObjectPerAdvertWithTheAgreedKeysThenASummary() throws IOException {
        // when
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--password", "s3cret", "--json");

        // then
        assertThat(code).isZero();
        List<JsonNode> nodes = json();
        assertThat(nodes).hasSize(9);
        JsonNode first = nodes.get(0);
        assertThat(first.get("record").asText()).isEqualTo("packet");
        for (String key : List.of("time", "src", "dst", "proto", "vhid", "advbase", "advskew", "counter", "ttl",
                "checksum", "digest", "problems")) {
            assertThat(first.has(key)).as(key).isTrue();
        }
        assertThat(first.get("proto").asText()).isEqualTo("carp");
        assertThat(first.get("src").asText()).isEqualTo("10.200.0.11");
        assertThat(first.get("counter").bigIntegerValue()).hasToString("5414637562782288764");
        assertThat(first.get("checksum").asText()).isEqualTo("ok");
        assertThat(first.get("digest").asText()).isEqualTo("valid");
        assertThat(first.get("vip").asText()).isEqualTo("10.200.0.100");
        assertThat(first.get("problems")).isEmpty();
        assertThat(first.get("time").asText()).endsWith("Z");
        JsonNode summary = nodes.get(8);
        assertThat(summary.get("record").asText()).isEqualTo("summary");
        JsonNode vhid = summary.get("vhids").get(0);
        assertThat(vhid.get("masters").get(0).get("src").asText()).isEqualTo("10.200.0.11");
        assertThat(vhid.get("masters").get(1).get("src").asText()).isEqualTo("10.200.0.12");
        assertThat(vhid.get("digest").get("valid").asInt()).isEqualTo(8);
        assertThat(vhid.get("vipFrom").asText()).isEqualTo("gratuitous ARP");
    }

    @Test
    void aCounterAbove2To63IsPrintedAsAnUnsignedDecimal() throws IOException {
        // when: the first advert of capture 00 has counter 17087348420924019520
        karp("sniff", "--read", capture("00-debug-latency.pcap"), "--json");

        // then
        assertThat(lines().get(0)).contains("\"counter\":17087348420924019520,");
    }

    @Test
    void theCorruptedFrameOf90ShowsItsProblems() throws IOException {
        // when
        karp("sniff", "--read", capture("90-derived-corrupted-frame4.pcap"), "--password", "s3cret");

        // then
        assertThat(advertLines().get(0)).isEqualTo("    3.001  carp  10.200.0.11 > 224.0.0.18 vhid=7 advbase=1 advskew=99"
                + " counter=5414637562782288764 hmac=valid ttl=64 sum=bad  ! dropped: bad TTL 64 (expected: 255); CARP nodes must share one link, with no router"
                + " between them");
    }

    @Test
    void theCorruptedFrameOf90IsBadInJson() throws IOException {
        // when
        karp("sniff", "--read", capture("90-derived-corrupted-frame4.pcap"), "--json");

        // then
        JsonNode first = json().get(0);
        assertThat(first.get("checksum").asText()).isEqualTo("bad");
        assertThat(first.get("ttl").asInt()).isEqualTo(64);
        assertThat(first.get("digest").asText()).isEqualTo("unchecked");
        assertThat(first.get("drop").asText()).isEqualTo("BAD_TTL");
        assertThat(first.get("problems")).extracting(JsonNode::asText)
                .containsExactly("dropped: bad TTL 64 (expected: 255); CARP nodes must share one link, with no router between them");
    }

    @Test
    void withWrongpwNodeCIsValidAndNodeAInvalid() throws IOException {
        // when: capture 05, where C runs with password wrongpw
        karp("sniff", "--read", capture("05-wrong-password.pcap"), "--password", "wrongpw");

        // then
        assertThat(advertLines()).allSatisfy(l -> assertThat(l)
                .contains(l.contains("10.200.0.13 >") ? "hmac=valid" : "hmac=invalid"));
        assertThat(advertLines()).anyMatch(l -> l.contains("10.200.0.13 >"));
        assertThat(lines()).contains("  note: HMAC invalid for 10.200.0.11 (8 adverts): another password or VIP on that node");
        assertThat(out.toString()).contains("  two masters: ");
    }

    @Test
    void withWrongpwTheJsonDigestsAgree() throws IOException {
        karp("sniff", "--read", capture("05-wrong-password.pcap"), "--password", "wrongpw", "--json");

        for (JsonNode n : json()) {
            if (n.get("record").asText().equals("packet")) {
                String expected = n.get("src").asText().equals("10.200.0.13") ? "valid" : "invalid";
                assertThat(n.get("digest").asText()).isEqualTo(expected);
            }
        }
    }

    @Test
    void aVrrpRouterIsShownAsVrrpNotAsBrokenCarp() throws IOException {
        // given: capture 02 with a VRRPv3 advert for VRID 7 from 10.200.0.5 added after the first CARP advert
        List<CapturedFrame> frames = new ArrayList<>(Vectors.frames("02-failover-sigkill.pcap"));
        frames.add(4, new CapturedFrame(frames.get(3).time().plusMillis(100), VrrpFrames.V3));
        Path file = PcapWriter.write(dir.resolve("with-vrrp.pcap"), frames);

        // when
        int code = karp("sniff", "--read", file.toString(), "--password", "s3cret");

        // then
        assertThat(code).isZero();
        assertThat(advertLines().get(1)).isEqualTo("    3.101  vrrp  10.200.0.5 > 224.0.0.18 VRRPv3 vrid=7 priority=100"
                + " interval=1s addresses=10.200.0.100 ttl=255 sum=ok");
        assertThat(lines()).contains("VRRPv3 VRID 7 from 10.200.0.5: 1 advert, priority 100, interval 1.000 s,"
                        + " addresses 10.200.0.100; VRRP, not CARP",
                "  note: VRRP router 10.200.0.5 uses VRID 7 too: UCarp drops its adverts as bad (checksum, size or version)"
                        + " and logs each one");
    }

    @Test
    void aVrrpAdvertInJsonHasProtoVrrp() throws IOException {
        List<CapturedFrame> frames = new ArrayList<>(Vectors.frames("02-failover-sigkill.pcap"));
        frames.add(4, new CapturedFrame(frames.get(3).time().plusMillis(100), VrrpFrames.V2));
        Path file = PcapWriter.write(dir.resolve("with-vrrp.pcap"), frames);

        karp("sniff", "--read", file.toString(), "--json");

        JsonNode vrrp = json().get(1);
        assertThat(vrrp.get("proto").asText()).isEqualTo("vrrp");
        assertThat(vrrp.get("vhid").asInt()).isEqualTo(7);
        assertThat(vrrp.get("version").asInt()).isEqualTo(2);
        assertThat(vrrp.get("priority").asInt()).isEqualTo(100);
        assertThat(vrrp.get("checksum").asText()).isEqualTo("ok");
        assertThat(vrrp.get("counter").isNull()).isTrue();
    }

    @Test
    void aBowOutAndAPossibleReplayAreShown() throws IOException {
        karp("sniff", "--read", capture("15-independent-encoder-and-bowout.pcap"), "--password", "s3cret");

        assertThat(advertLines()).anyMatch(l -> l.contains("advbase=255 advskew=255") && l.contains(" bow-out"));
        assertThat(advertLines()).anyMatch(l -> l.contains("! possible replay: counter already seen at 5.969 s from 10.200.0.11"));
        assertThat(lines()).contains("  possible replays: 1");
        assertThat(lines()).anyMatch(l -> l.startsWith("  master 10.200.0.13") && l.endsWith("then bowed out)"));
    }

    @Test
    void withoutAPasswordDigestsAreUnchecked() throws IOException {
        karp("sniff", "--read", capture("02-failover-sigkill.pcap"));

        assertThat(advertLines()).allSatisfy(l -> assertThat(l).contains("hmac=unchecked"));
        assertThat(lines()).contains("  note: no password given: HMACs unchecked");
    }

    @Test
    void aPassfileGivesThePassword() throws IOException {
        Path passfile = Files.writeString(dir.resolve("password"), "s3cret\nsecond line\n");

        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--passfile", passfile.toString());

        assertThat(code).isZero();
        assertThat(advertLines()).allSatisfy(l -> assertThat(l).contains("hmac=valid"));
    }

    @Test
    void aPassfileWithWindowsLineEndingsIsReadAsUcarpDoesWithAWarning() throws IOException {
        // given
        Path passfile = Files.writeString(dir.resolve("password"), "s3cret\r\n");

        // when
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--password-file", passfile.toString());

        // then: the \r is part of the password, so nothing verifies
        assertThat(code).isZero();
        assertThat(err.toString()).isEqualTo("karp: warning: the first line of " + passfile + " ends with a carriage return"
                + " (Windows line end); like UCarp, karp keeps it as part of the password\n");
        assertThat(advertLines()).allSatisfy(l -> assertThat(l).contains("hmac=invalid"));
    }

    @Test
    void theVipOptionOverridesTheGratuitousArps() throws IOException {
        karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--password", "s3cret", "--vip", "10.200.0.101");

        assertThat(advertLines()).allSatisfy(l -> assertThat(l).contains("hmac=invalid"));
    }

    String dualStackCapture() throws IOException {
        Path p = dir.resolve("dual-stack.pcap");
        try (InputStream in = Vectors.class.getResourceAsStream(DualStackCapture.RESOURCE)) {
            Files.copy(in, p);
        }
        return p.toString();
    }

    @Test
    void repeatedVipsOfBothFamiliesVerifyIpv4AndIpv6Adverts() throws IOException {
        // when
        int code = karp("sniff", "--read", dualStackCapture(), "--password", "s3cret",
                "--vip", "fd00:200::100/64", "--vip", "10.200.0.100");

        // then
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(advertLines()).hasSize(12).allSatisfy(l -> assertThat(l).contains("hmac=valid", "sum=ok"));
        assertThat(advertLines().get(1)).isEqualTo("    0.000  carp  fe80::11 > ff02::12 vhid=7 advbase=1 advskew=0"
                + " counter=1234605616436508416 hmac=valid ttl=255 sum=ok");
        assertThat(lines()).contains("  two masters: never",
                "vhid 7: 12 adverts from 10.200.0.11, fe80::11, 10.200.0.12, fe80::12; hmac: 12 valid with VIP"
                        + " 10.200.0.100,fd00:200::100 (from --vip)");
    }

    @Test
    void oneVipOfADualStackVhidLeavesEveryHmacInvalid() throws IOException {
        karp("sniff", "--read", dualStackCapture(), "--password", "s3cret", "--vip", "10.200.0.100");

        assertThat(advertLines()).hasSize(12).allSatisfy(l -> assertThat(l).contains("hmac=invalid"));
    }

    @Test
    void theVhidOptionKeepsOnlyThatVhid() throws IOException {
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--vhid", "8");

        assertThat(code).isZero();
        assertThat(advertLines()).isEmpty();
        assertThat(out.toString()).contains("0 CARP adverts");
    }

    @Test
    void aMissingFileExits2WithOneLine() {
        Path missing = dir.resolve("missing.pcap");

        int code = karp("sniff", "--read", missing.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("karp: cannot read " + missing + ": no such file\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aFileThatIsNotACaptureExits2WithOneLine() throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.pcap"), "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        int code = karp("sniff", "--read", garbage.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("karp: cannot read " + garbage + ": not a capture file libpcap can read (")
                .endsWith("); expected a pcap or pcapng file, as written by tcpdump -w\n");
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void readOrInterfaceIsRequired() {
        int code = karp("sniff");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("karp: say what to read: --read FILE (a capture) or -i IFACE (live)\n");
    }

    @Test
    void liveOptionsWithReadExit2() throws IOException {
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--count", "3");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("karp: --count, --duration and --write are for a live capture (-i IFACE),"
                + " not for --read\n");
    }

    @Test
    void anUnknownInterfaceExits2NamingTheOnesThereAre() {
        int code = karp("sniff", "-i", "karp-no-such0");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("karp: interface karp-no-such0 not found (available: ")
                .endsWith("); check --interface\n");
    }

    @Test
    void aMissingPassfileExits2() throws IOException {
        Path missing = dir.resolve("nopass");
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--passfile", missing.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("karp: --passfile " + missing + ": no such file\n");
    }

    @Test
    void aTooLongPasswordExits2WithTheReason() throws IOException {
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--password", "a".repeat(20));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("karp: --password: the password is 20 bytes long (expected: 1..19)");
    }

    @Test
    void passwordAndPassfileTogetherExit2() throws IOException {
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--password", "x", "--passfile", "y");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void aBadVipExits2() throws IOException {
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--vip", "vip.example");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("karp: --vip vip.example is not an IP address (expected: e.g. 10.0.0.5/24 or fd00::5/64)\n");
    }

    @Test
    void aVhidOutOfRangeExits2() throws IOException {
        int code = karp("sniff", "--read", capture("02-failover-sigkill.pcap"), "--vhid", "256");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("karp: --vhid 256 is out of range (expected: 1..255)\n");
    }

    @Test
    void karpHelpListsSniff() {
        int code = karp("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("sniff");
    }

    @Test
    void withoutLibpcapSniffExits1NamingThePackage() throws Exception {
        // given: a separate JVM told to load a libpcap that does not exist (native access enabled
        // as in karp.jar's manifest, else Java 22+ warns about JNA on stderr)
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "-Dorg.pcap4j.core.pcapLibName=karp-no-such-pcap", Karp.class.getName(),
                "sniff", "--read", capture("02-failover-sigkill.pcap"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();

        // when
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();

        // then
        assertThat(code).isEqualTo(1);
        assertThat(stderr).startsWith("karp: cannot load libpcap (").contains("apt-get install libpcap0.8");
        assertThat(stderr.lines()).hasSize(1);
    }
}
