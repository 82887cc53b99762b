package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.Advert;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpCodec;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpPassword;
import dev.karp.carp.CarpSender;
import dev.karp.carp.GratuitousArp;
import dev.karp.carp.MacAddress;
import dev.karp.carp.VipAddresses;
import dev.karp.lab.Await;
import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.link.PcapLink;
import dev.karp.net.IpAddresses;
import dev.karp.status.StatusSnapshot;
import java.net.Inet4Address;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a running group notices of forgeries and conflicts (issue 16, items 4 and 5), in the netns lab: n1 (advskew 0)
 * is master, n2 (advskew 50) backup, and n3, which runs no karp, is the other host on the segment. It writes its
 * frames with a pcap link of its own: adverts in n1's name, a gratuitous ARP for the VIP, adverts of a second master.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class AttackDetectionIT {
    private NetnsLab lab;
    private LabHost n1;
    private LabHost n2;
    private LabHost n3;
    private LabProcess karp1;
    private LabProcess karp2;
    private final SplittableRandom random = new SplittableRandom(16);

    @BeforeAll
    void twoNodesAndAnotherHost() throws Exception {
        lab = NetnsLab.create(3);
        n1 = lab.node(1);
        n2 = lab.node(2);
        n3 = lab.node(3);
        karp1 = lab.startKarpAsMaster(n1, "--advskew", "0");
        karp2 = lab.startKarp(n2, "--advskew", "50");
        boolean settled = Await.until(NetnsLab.SETTLE, () -> lab.status(n1).map(s -> s.state().equals("MASTER")).orElse(false)
                && lab.status(n2).map(s -> "10.200.0.11".equals(s.master())).orElse(false));
        assertThat(settled).as("n1 master, n2 backup; logs:%n%s%n%s", karp1.logText(), karp2.logText()).isTrue();
    }

    @AfterAll
    void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void theMasterReportsAdvertsInItsNameFromAnotherMac() throws Exception {
        // given: adverts with n1's source address and the password (UCarp's HMAC covers neither), from n3's MAC
        CarpSender inN1sName = sender(n1);

        // when
        sendFromN3(3, i -> withSource(CarpCodec.encode(inN1sName, new Advert(7, 1, 200, 1000 + i), random), n3));

        // then
        assertThat(awaitStatus(n1, s -> s.counters().rejected().getOrDefault("SPOOFED_SOURCE", 0L) >= 1
                && n3.mac().equals(s.alerts().spoofedFrom()))).as(karp1.logText()).isTrue();
        assertThat(karp1.logText()).contains("another host sends adverts in our name");
        ExecResult text = lab.runKarp(n1, "status");
        assertThat(text.stdout()).contains("SPOOFING").contains(n3.mac());
        assertThat(lab.status(n1).orElseThrow().state()).isEqualTo("MASTER");
    }

    @Test
    @Order(2)
    void theMasterReportsAnotherHostAnsweringForTheVip() throws Exception {
        // given: n3 holds the VIP too (a stale holder, a misconfigured host) and announces it
        lab.exec(n3, "ip", "addr", "add", NetnsLab.VIP + "/24", "dev", "eth0");
        try {
            // when
            sendFromN3(1, i -> GratuitousArp.frame(MacAddress.parse(n3.mac()), ipv4(NetnsLab.VIP)));

            // then
            assertThat(awaitStatus(n1, s -> s.alerts().vipConflicts() >= 1
                    && (NetnsLab.VIP + " at " + n3.mac()).equals(s.alerts().vipConflict()))).as(karp1.logText()).isTrue();
            assertThat(karp1.logText()).contains("is also claimed by " + n3.mac());
            assertThat(lab.status(n1).orElseThrow().state()).isEqualTo("MASTER");
        } finally {
            lab.exec(n3, "ip", "addr", "del", NetnsLab.VIP + "/24", "dev", "eth0");
        }
    }

    @Test
    @Order(3)
    void theBackupReportsASecondMasterItHears() throws Exception {
        // given: n3 advertises as master of vhid 7 (advskew 100), as a node that hears neither n1 nor n2 would
        CarpSender second = sender(n3);

        // when: one advert a second, about n3's interval, while n1 advertises as well
        boolean reported = false;
        for (int i = 0; i < 20 && !reported; i++) {
            int counter = i;
            sendFromN3(1, k -> CarpCodec.encode(second, new Advert(7, 1, 100, 5000 + counter), random));
            Thread.sleep(1000);
            reported = lab.status(n2).map(s -> s.alerts().secondMasters() >= 1).orElse(false);
        }

        // then
        assertThat(reported).as(karp2.logText()).isTrue();
        assertThat(karp2.logText()).contains("10.200.0.11 and 10.200.0.13 both advertise as master");
        assertThat(lab.status(n2).orElseThrow().state()).isEqualTo("BACKUP");
        assertThat(lab.status(n1).orElseThrow().state()).isEqualTo("MASTER");
    }

    private static CarpSender sender(LabHost from) {
        Inet4Address vip = ipv4(NetnsLab.VIP);
        return new CarpSender(ipv4(from.address()), Carp.DEFAULT_GROUP, false, VipAddresses.of(vip),
                new CarpHmac(CarpPassword.of(NetnsLab.PASSWORD)));
    }

    private static byte[] withSource(byte[] frame, LabHost host) {
        MacAddress.parse(host.mac()).write(frame, 6);
        return frame;
    }

    private interface Frames {
        byte[] frame(int i);
    }

    private void sendFromN3(int count, Frames frames) throws Exception {
        try (NetnsThread ns3 = lab.thread(n3)) {
            PcapLink link = ns3.call(() -> PcapLink.open(PcapLink.Options.of("eth0", ipv4(n3.address()))));
            try {
                for (int i = 0; i < count; i++) {
                    link.send(frames.frame(i));
                }
            } finally {
                link.close();
            }
        }
    }

    private boolean awaitStatus(LabHost host, Predicate<StatusSnapshot> condition) throws InterruptedException {
        return Await.until(NetnsLab.FAILOVER, () -> lab.status(host).map(condition::test).orElse(false));
    }

    private static Inet4Address ipv4(String text) {
        return IpAddresses.parseIpv4(text);
    }
}
