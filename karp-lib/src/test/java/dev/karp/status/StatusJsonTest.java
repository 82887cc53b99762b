package dev.karp.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
    private static final Instant SINCE = Instant.parse("2026-11-26T11:09:22.123Z");

    @Test
    void theRequiredFieldsHaveStableKeysInOrder() {
        // given
        StatusSnapshot s = StatusSnapshot.of("BACKUP", "10.200.0.100/24", "eth0", 7, 1, 50, "10.200.0.11", SINCE, 1);

        // when
        String json = new String(StatusJson.write(s), StandardCharsets.UTF_8);

        // then
        assertThat(json).isEqualTo("{\"state\":\"BACKUP\",\"vip\":\"10.200.0.100/24\",\"vips\":[\"10.200.0.100/24\"],\"interface\":\"eth0\",\"vhid\":7,"
                + "\"advbase\":1,\"advskew\":50,\"master\":\"10.200.0.11\",\"masterDownSeconds\":null,"
                + "\"since\":\"2026-11-26T11:09:22.123Z\","
                + "\"transitions\":1,\"vipPresent\":null,\"health\":null,\"peers\":[],"
                + "\"counters\":{\"sent\":0,\"received\":0,\"rejected\":{}},\"lastTransitions\":[]}");
    }

    @Test
    void noKnownMasterIsNull() {
        // given
        StatusSnapshot s = StatusSnapshot.of("INIT", "10.200.0.100/24", "eth0", 7, 1, 0, null, SINCE, 0);

        // when
        String json = new String(StatusJson.write(s), StandardCharsets.UTF_8);

        // then
        assertThat(json).contains("\"master\":null");
    }

    @Test
    void everyFieldSurvivesARoundTrip() throws IOException {
        // given
        StatusSnapshot s = new StatusSnapshot("MASTER", "10.200.0.100/24", "eth0", 7, 1, 0, "10.200.0.11", SINCE, 2,
                true, "ok", List.of(new StatusSnapshot.Peer("10.200.0.12", 1, 50, 340)),
                new StatusSnapshot.Counters(120, 3, Map.of("BAD_TTL", 1L, "BAD_DIGEST", 4L)),
                List.of(new StatusSnapshot.Transition(SINCE, "BACKUP", "MASTER", "master down")), null);

        // when
        StatusSnapshot back = StatusJson.read(StatusJson.write(s));

        // then
        assertThat(back).isEqualTo(s);
    }

    @Test
    void alertsSurviveARoundTripAndAreLeftOutWhenEmpty() throws IOException {
        // given
        StatusSnapshot.Alerts alerts = new StatusSnapshot.Alerts("02:00:00:00:00:77", 2,
                "10.200.0.100 at 02:00:00:00:00:77", null, 1, "10.200.0.11 and 10.200.0.13 both advertise as master",
                7L, 0L);
        StatusSnapshot s = new StatusSnapshot("MASTER", "10.200.0.100/24", "eth0", 7, 1, 0, "10.200.0.11", SINCE, 2,
                true, null, List.of(), null, List.of(), null, List.of("10.200.0.100/24"), List.of(), List.of(), alerts);

        // when
        String json = new String(StatusJson.write(s), StandardCharsets.UTF_8);
        StatusSnapshot back = StatusJson.read(StatusJson.write(s));

        // then
        assertThat(json).contains("\"alerts\":{\"spoofedFrom\":\"02:00:00:00:00:77\",\"vipConflicts\":2,");
        assertThat(back.alerts()).isEqualTo(alerts);
        assertThat(new String(StatusJson.write(StatusSnapshot.of("MASTER", "v", "eth0", 7, 1, 0, null, SINCE, 0)),
                StandardCharsets.UTF_8)).doesNotContain("alerts");
    }

    @Test
    void rejectedCountersAreSortedByReason() {
        // given
        var counters = new StatusSnapshot.Counters(0, 0, Map.of("BAD_TTL", 1L, "BAD_DIGEST", 4L, "BAD_VERSION", 2L));

        // when
        String json = new String(StatusJson.write(new StatusSnapshot("MASTER", "v", "eth0", 7, 1, 0, null, SINCE, 0,
                null, null, null, counters, null, null)), StandardCharsets.UTF_8);

        // then
        assertThat(json).contains("\"rejected\":{\"BAD_DIGEST\":4,\"BAD_TTL\":1,\"BAD_VERSION\":2}");
    }

    @Test
    void unknownKeysFromANewerDaemonAreIgnored() throws IOException {
        // given
        String json = "{\"state\":\"BACKUP\",\"vip\":\"10.200.0.100/24\",\"interface\":\"eth0\",\"vhid\":7,"
                + "\"advbase\":1,\"advskew\":0,\"master\":null,\"since\":\"2026-11-26T11:09:22.123Z\","
                + "\"transitions\":0,\"somethingNew\":{\"x\":1}}";

        // when
        StatusSnapshot s = StatusJson.read(json.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(s.state()).isEqualTo("BACKUP");
        assertThat(s.peers()).isEmpty();
    }

    @Test
    void anUnknownStateIsRefused() {
        assertThatThrownBy(() -> StatusSnapshot.of("LEADER", "v", "eth0", 7, 1, 0, null, SINCE, 0))
                .hasMessage("state LEADER is not one of INIT, BACKUP, MASTER");
    }

    @Test
    void aBadInstantIsRefusedOnReading() {
        // given
        String json = "{\"state\":\"BACKUP\",\"vip\":\"v\",\"interface\":\"eth0\",\"since\":\"yesterday\"}";

        // when / then
        assertThatThrownBy(() -> StatusJson.read(json.getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }

    @Test
    void aFailoverOfSeveralGroupsListsEveryGroupAndKeepsTheFirstAtTheTop() throws Exception {
        StatusSnapshot one = StatusSnapshot.of("MASTER", "10.200.0.101/24", "eth0", 1, 1, 0, "10.200.0.11",
                java.time.Instant.parse("2026-12-02T10:00:00Z"), 1);
        StatusSnapshot two = StatusSnapshot.of("BACKUP", "10.200.0.102/24", "eth0", 2, 1, 100, "10.200.0.12",
                java.time.Instant.parse("2026-12-02T10:00:00Z"), 1);
        StatusSnapshot all = new StatusSnapshot(one.state(), one.vip(), one.interfaceName(), one.vhid(), one.advbase(),
                one.advskew(), one.master(), one.since(), one.transitions(), null, null, null, null, null, null,
                List.of("10.200.0.101/24", "fd00:200::101/64"), List.of(one, two), List.of("10.200.0.13"));

        StatusSnapshot read = StatusJson.read(StatusJson.write(all));

        assertThat(read.vhid()).isEqualTo(1);
        assertThat(read.vips()).containsExactly("10.200.0.101/24", "fd00:200::101/64");
        assertThat(read.unheardPeers()).containsExactly("10.200.0.13");
        assertThat(read.allGroups()).extracting(StatusSnapshot::vhid, StatusSnapshot::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "MASTER"),
                        org.assertj.core.groups.Tuple.tuple(2, "BACKUP"));
    }
}
