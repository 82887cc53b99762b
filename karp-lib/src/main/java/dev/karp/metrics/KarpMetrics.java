package dev.karp.metrics;

import dev.karp.carp.DropReason;
import dev.karp.status.StatusSnapshot;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Prometheus metrics of {@code karp run}, read from the same {@link StatusSnapshot} that {@code GET /status}
 * serves, once per scrape: every value of one scrape comes from one snapshot, and a scrape always agrees with the
 * status endpoint. Names follow the Prometheus conventions (a {@code karp_} prefix, {@code _total} on counters,
 * base units):
 * <ul>
 *   <li>{@code karp_state{vhid,state}}: 1 for the current state (INIT, BACKUP, MASTER), 0 for the others;</li>
 *   <li>{@code karp_state_since_timestamp_seconds{vhid}}: when the current state began;</li>
 *   <li>{@code karp_transitions_total{vhid}}: state changes since start;</li>
 *   <li>{@code karp_adverts_sent_total{vhid}}, {@code karp_adverts_received_total{vhid}}: adverts sent, valid
 *       adverts received;</li>
 *   <li>{@code karp_adverts_rejected_total{vhid,reason}}: dropped packets per {@link DropReason}, every reason
 *       present from the start so rate() works on the first drop;</li>
 *   <li>{@code karp_vip_present{vhid,vip,interface}}: 1 while the VIP is on the interface (absent until checked);</li>
 *   <li>{@code karp_healthy{vhid}}: 1 while the node's health state is good (always 1 without health checks);</li>
 *   <li>{@code karp_advskew{vhid}}: the advskew advertised now (raised when demoted);</li>
 *   <li>{@code karp_peers{vhid}}: other nodes heard recently;</li>
 *   <li>{@code karp_master_down_seconds{vhid}}: a BACKUP's wait for the next advert before it takes over
 *       (at advbase 0 it widens after late adverts); absent unless BACKUP;</li>
 *   <li>{@code karp_vip_conflicts_total{vhid}}: claims of a VIP by another MAC seen while MASTER;</li>
 *   <li>{@code karp_spoofed{vhid}}: 1 while adverts claiming this node's own address, none of its own, came in the
 *       last minute (their count: {@code karp_adverts_rejected_total{reason="spoofed_source"}});</li>
 *   <li>{@code karp_phantom_master{vhid}}: 1 while a BACKUP follows a master that does not hold the VIP;</li>
 *   <li>{@code karp_second_masters_total{vhid}}: times two masters of the vhid were heard at once;</li>
 *   <li>{@code karp_capture_dropped_total{vhid,where}}: libpcap's drops, {@code where="ring"} (ps_drop) and
 *       {@code where="interface"} (ps_ifdrop); absent until known;</li>
 *   <li>{@code karp_build_info{version,java}}: 1.</li>
 * </ul>
 */
public final class KarpMetrics implements MultiCollector {
    private static final List<String> STATES = List.of("INIT", "BACKUP", "MASTER");

    private final Supplier<StatusSnapshot> status;
    private final String version;

    /**
     * @param status  the daemon's latest snapshot ({@code Daemon::status})
     * @param version karp's version for {@code karp_build_info}
     */
    public KarpMetrics(Supplier<StatusSnapshot> status, String version) {
        this.status = Objects.requireNonNull(status, "status");
        this.version = Objects.requireNonNull(version, "version");
    }

    /**
     * Whether a snapshot's health field means healthy: the daemon reports {@code null} when no check runs or the
     * node is healthy, and a word such as {@code unhealthy} otherwise; {@code ok} is accepted as healthy too.
     */
    static boolean healthy(StatusSnapshot s) {
        return s.health() == null || s.health().equalsIgnoreCase("ok");
    }

    @Override
    public MetricSnapshots collect() {
        List<StatusSnapshot> groups = status.get().allGroups();
        List<MetricSnapshot> out = new ArrayList<>();

        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("karp_state")
                .help("1 for this node's current CARP state, 0 for the others");
        GaugeSnapshot.Builder since = GaugeSnapshot.builder().name("karp_state_since_timestamp_seconds")
                .help("When the current state began, in seconds since the epoch");
        CounterSnapshot.Builder transitions = counter("karp_transitions", "State changes since start");
        CounterSnapshot.Builder sent = counter("karp_adverts_sent", "CARP adverts sent");
        CounterSnapshot.Builder received = counter("karp_adverts_received",
                "Valid CARP adverts received from other nodes");
        CounterSnapshot.Builder rejected = counter("karp_adverts_rejected",
                "Packets dropped by the advert checks, by reason (ucarp-spec 1.6)");
        GaugeSnapshot.Builder vip = GaugeSnapshot.builder().name("karp_vip_present")
                .help("1 while the VIP is on the interface, 0 when it is not");
        GaugeSnapshot.Builder healthy = GaugeSnapshot.builder().name("karp_healthy")
                .help("1 while the node's health state is good (always 1 without health checks)");
        GaugeSnapshot.Builder advskew = GaugeSnapshot.builder().name("karp_advskew")
                .help("The advskew this node advertises now (raised while demoted)");
        GaugeSnapshot.Builder peers = GaugeSnapshot.builder().name("karp_peers")
                .help("Other nodes of the vhid heard recently");
        GaugeSnapshot.Builder unheard = GaugeSnapshot.builder().name("karp_unicast_peers_unheard")
                .help("Unicast mode: listed peers no advert came from since start");
        GaugeSnapshot.Builder masterDown = GaugeSnapshot.builder().name("karp_master_down_seconds")
                .help("How long this BACKUP waits for the next advert before it takes over");
        CounterSnapshot.Builder conflicts = counter("karp_vip_conflicts",
                "Claims of a VIP (ARP, neighbour advertisements) by another MAC seen while MASTER");
        GaugeSnapshot.Builder spoofed = GaugeSnapshot.builder().name("karp_spoofed")
                .help("1 while adverts claiming this node's own address, none of its own, came in the last minute");
        GaugeSnapshot.Builder phantom = GaugeSnapshot.builder().name("karp_phantom_master")
                .help("1 while this BACKUP follows a master that does not hold the VIP");
        CounterSnapshot.Builder secondMasters = counter("karp_second_masters",
                "Times two masters of the vhid were heard at once (split brain)");
        CounterSnapshot.Builder captureDropped = counter("karp_capture_dropped",
                "Frames libpcap dropped: where=ring (ps_drop, no room in the capture ring), interface (ps_ifdrop)");
        for (StatusSnapshot s : groups) {
            String vhid = Integer.toString(s.vhid());
            StatusSnapshot.Alerts a = s.alerts();
            conflicts.dataPoint(point(Labels.of("vhid", vhid), a.vipConflicts()));
            spoofed.dataPoint(gauge(Labels.of("vhid", vhid), a.spoofedFrom() != null ? 1 : 0));
            phantom.dataPoint(gauge(Labels.of("vhid", vhid), a.phantomMaster() != null ? 1 : 0));
            secondMasters.dataPoint(point(Labels.of("vhid", vhid), a.secondMasters()));
            if (a.captureDropped() != null) {
                captureDropped.dataPoint(point(Labels.of("vhid", vhid, "where", "ring"), a.captureDropped()));
            }
            if (a.captureIfDropped() != null) {
                captureDropped.dataPoint(point(Labels.of("vhid", vhid, "where", "interface"), a.captureIfDropped()));
            }
            Labels byVhid = Labels.of("vhid", vhid);
            for (String st : STATES) {
                state.dataPoint(gauge(Labels.of("vhid", vhid, "state", st), st.equals(s.state()) ? 1 : 0));
            }
            since.dataPoint(gauge(byVhid, s.since().toEpochMilli() / 1000.0));
            transitions.dataPoint(point(byVhid, s.transitions()));
            sent.dataPoint(point(byVhid, s.counters().sent()));
            received.dataPoint(point(byVhid, s.counters().received()));
            for (DropReason r : DropReason.values()) {
                long n = s.counters().rejected().getOrDefault(r.name(), 0L);
                rejected.dataPoint(point(Labels.of("vhid", vhid, "reason", r.name().toLowerCase(Locale.ROOT)), n));
            }
            if (s.vipPresent() != null) {
                // One series per VIP: a group's VIPs move together, so they share the group's value.
                for (String v : s.vips()) {
                    vip.dataPoint(gauge(Labels.of("vhid", vhid, "vip", v, "interface", s.interfaceName()),
                            s.vipPresent() ? 1 : 0));
                }
            }
            healthy.dataPoint(gauge(byVhid, healthy(s) ? 1 : 0));
            advskew.dataPoint(gauge(byVhid, s.advskew()));
            peers.dataPoint(gauge(byVhid, s.peers().size()));
            unheard.dataPoint(gauge(byVhid, s.unheardPeers().size()));
            if (s.masterDownSeconds() != null) {
                masterDown.dataPoint(gauge(byVhid, s.masterDownSeconds()));
            }
        }
        out.add(state.build());
        out.add(since.build());
        out.add(transitions.build());
        out.add(sent.build());
        out.add(received.build());
        out.add(rejected.build());
        out.add(vip.build());
        out.add(healthy.build());
        out.add(advskew.build());
        out.add(peers.build());
        out.add(unheard.build());
        out.add(masterDown.build());
        out.add(conflicts.build());
        out.add(spoofed.build());
        out.add(phantom.build());
        out.add(secondMasters.build());
        out.add(captureDropped.build());
        out.add(InfoSnapshot.builder().name("karp_build").help("The karp build and the Java runtime running it")
                .dataPoint(InfoDataPointSnapshot.builder()
                        .labels(Labels.of("version", version, "java", Runtime.version().toString())).build())
                .build());
        return new MetricSnapshots(out);
    }

    private static CounterSnapshot.Builder counter(String name, String help) {
        return CounterSnapshot.builder().name(name).help(help);
    }

    private static CounterDataPointSnapshot point(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

}
