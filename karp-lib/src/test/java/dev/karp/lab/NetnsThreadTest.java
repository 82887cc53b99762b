package dev.karp.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.netlink.LinkInfo;
import dev.karp.netlink.NetNamespace;
import dev.karp.netlink.RtnetlinkClient;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(60)
class NetnsThreadTest {

    private NetnsLab lab;

    @BeforeEach
    void buildLab() throws IOException {
        lab = NetnsLab.create(1);
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    @Test
    void aSocketOpenedOnTheThreadStaysInTheNamespaceWhenUsedFromAnotherThread() throws Exception {
        NetnsThread inside = lab.thread(lab.node(1));
        RtnetlinkClient rtnl = inside.call(RtnetlinkClient::open);

        Optional<LinkInfo> eth0;
        try (rtnl) {
            eth0 = rtnl.link("eth0"); // called from the test thread, which is not in the namespace
        }

        assertThat(eth0).map(l -> HexFormat.ofDelimiter(":").formatHex(l.hardwareAddress()))
                .hasValue(lab.node(1).mac());
    }

    @Test
    void childProcessesStartedOnTheThreadRunInTheNamespace() throws Exception {
        NetnsThread inside = lab.thread(lab.node(1));

        ExecResult addr = inside.call(() -> Exec.run(Duration.ofSeconds(10), List.of("ip", "-4", "-o", "addr")));

        assertThat(addr.stdout()).contains("10.200.0.11/24");
    }

    @Test
    void netNamespaceRunsATaskInsideFromAThreadOutside() throws Exception {
        NetNamespace ns = lab.thread(lab.node(1)).call(NetNamespace::ofCurrentThread);

        List<String> names;
        try (ns) {
            names = ns.callInside(() -> {
                try (RtnetlinkClient rtnl = RtnetlinkClient.open()) {
                    return rtnl.links().stream().map(LinkInfo::name).toList();
                }
            });
            assertThat(ns.isCurrent()).isFalse();
        }

        assertThat(names).containsExactly("lo", "eth0");
    }

    @Test
    void enteringAMissingNamespaceFailsWithItsName() {
        assertThatThrownBy(() -> NetnsThread.enter(lab.id() + "-nosuch"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot enter network namespace " + lab.id() + "-nosuch");
    }
}
