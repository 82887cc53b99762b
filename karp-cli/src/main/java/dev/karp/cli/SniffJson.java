package dev.karp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.karp.carp.CarpPacket;
import dev.karp.carp.DigestStatus;
import dev.karp.carp.VipAddresses;
import dev.karp.carp.VrrpPacket;
import dev.karp.net.IpAddresses;
import dev.karp.sniff.SniffAlerts;
import dev.karp.sniff.SniffRecord;
import dev.karp.sniff.SniffReport;
import dev.karp.sniff.SniffSummary;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The JSON Lines form of {@code karp sniff}: one object per advert ({@code "record":"packet"}),
 * then one summary object ({@code "record":"summary"}). An advert's {@code drop} is the reason a
 * daemon would drop it for, as named in {@code karp status --json} and the metrics (e.g.
 * {@code BAD_TTL}), or null; its words are the first of its {@code problems}. Times are ISO-8601 instants ({@code time})
 * and seconds since the first frame ({@code t}); the counter is an unsigned decimal number.
 */
final class SniffJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SniffJson() {
    }

    /** Where the frames came from, as the summary's first key: {@code "file"} or {@code "interface"}. */
    record Source(String key, String value) {
    }

    static Source fileKey(Path file) {
        return new Source("file", file.toString());
    }

    static Source interfaceKey(String name) {
        return new Source("interface", name);
    }

    static void print(SniffReport report, Source source, PrintWriter out) {
        for (SniffRecord r : report.records()) {
            out.println(line(packet(r)));
        }
        out.println(line(summary(report.summary(), source)));
    }

    /**
     * A live warning: {@code {"record":"warning","time":..., "t":..., "kind":"split-brain", "vhid":7,
     * "sources":[...], "message":"..."}}.
     */
    static ObjectNode alert(SniffAlerts.Alert a, Duration sinceStart) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("record", "warning");
        n.put("time", a.time().toString());
        n.put("t", seconds(sinceStart));
        n.put("kind", a.kind().word());
        n.put("vhid", a.vhid());
        addresses(n.putArray("sources"), a.sources());
        n.put("message", a.message());
        return n;
    }

    static String line(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode packet(SniffRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("record", "packet");
        n.put("time", r.time().toString());
        n.put("t", seconds(r.sinceStart()));
        if (r instanceof SniffRecord.Carp c) {
            carp(n, c);
        } else {
            vrrp(n, (SniffRecord.Vrrp) r);
        }
        n.put("drop", r.drop().map(Enum::name).orElse(null));
        ArrayNode problems = n.putArray("problems");
        r.problems().forEach(problems::add);
        return n;
    }

    private static void carp(ObjectNode n, SniffRecord.Carp c) {
        CarpPacket p = c.packet();
        n.put("proto", "carp");
        n.put("src", IpAddresses.format(p.ipSrc()));
        n.put("dst", IpAddresses.format(p.ipDst()));
        n.put("vhid", p.vhid());
        n.put("advbase", p.advbase());
        n.put("advskew", p.advskew());
        n.put("counter", new BigInteger(p.counterString()));
        n.put("ttl", p.ttl());
        n.put("checksum", c.frame().checksumsOk() ? "ok" : "bad");
        n.put("digest", c.digest().word());
        n.put("auth", c.verifiedAs().map(dev.karp.carp.AuthMode::word).orElse(null));
        n.put("vip", c.verifiedWith().map(VipAddresses::toString).orElse(null));
        n.put("bowOut", c.bowOut());
        n.put("ipChecksum", c.frame().ipChecksumOk() ? "ok" : "bad");
        n.put("carpChecksum", c.frame().carpChecksumOk() ? "ok" : "bad");
        n.put("version", p.version());
        n.put("type", p.type());
        n.put("authlen", p.authlen());
        n.put("demote", p.demote());
        n.put("ipId", p.ipId());
        n.put("ethSrc", p.ethSrc().toString());
        n.put("ethDst", p.ethDst().toString());
        n.put("hmac", p.digestHex());
    }

    private static void vrrp(ObjectNode n, SniffRecord.Vrrp v) {
        VrrpPacket p = v.packet();
        n.put("proto", "vrrp");
        n.put("src", IpAddresses.format(p.ipSrc()));
        n.put("dst", IpAddresses.format(p.ipDst()));
        n.put("vhid", p.vrid());
        n.putNull("advbase");
        n.putNull("advskew");
        n.putNull("counter");
        n.put("ttl", p.ttl());
        n.put("checksum", v.frame().vrrpChecksumOk() && v.frame().ipChecksumOk() ? "ok" : "bad");
        n.put("digest", DigestStatus.UNCHECKED.word());
        n.put("version", p.version());
        n.put("type", p.type());
        n.put("vrid", p.vrid());
        n.put("priority", p.priority());
        n.put("interval", seconds(p.interval()));
        ArrayNode addresses = n.putArray("addresses");
        p.addresses().forEach(a -> addresses.add(IpAddresses.format(a)));
        n.put("ethSrc", p.ethSrc().toString());
        n.put("ethDst", p.ethDst().toString());
    }

    static ObjectNode summary(SniffSummary s, Source source) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("record", "summary");
        n.put(source.key(), source.value());
        n.put("start", s.start().map(Instant::toString).orElse(null));
        n.put("end", s.end().map(Instant::toString).orElse(null));
        n.put("frames", s.frames());
        n.put("carpAdverts", s.carpAdverts());
        n.put("vrrpAdverts", s.vrrpAdverts());
        n.put("arps", s.arps());
        n.put("other", s.other());
        addresses(n.putArray("vipCandidates"), s.vipCandidates());
        ArrayNode vhids = n.putArray("vhids");
        for (SniffSummary.Vhid v : s.vhids()) {
            vhids.add(vhid(v));
        }
        ArrayNode routers = n.putArray("vrrpRouters");
        for (SniffSummary.VrrpRouter r : s.vrrpRouters()) {
            ObjectNode o = routers.addObject();
            o.put("version", r.version());
            o.put("vrid", r.vrid());
            o.put("src", IpAddresses.format(r.source()));
            o.put("adverts", r.adverts());
            o.put("priority", r.priority());
            o.put("interval", seconds(r.interval()));
            addresses(o.putArray("addresses"), r.addresses());
        }
        return n;
    }

    private static ObjectNode vhid(SniffSummary.Vhid v) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("vhid", v.vhid());
        o.put("adverts", v.adverts());
        addresses(o.putArray("sources"), v.sources());
        ObjectNode digest = o.putObject("digest");
        for (DigestStatus d : DigestStatus.values()) {
            digest.put(d.word(), v.digestCount(d));
        }
        ObjectNode vips = o.putObject("verifiedVips");
        v.verifiedVips().forEach((vip, count) -> vips.put(vip.toString(), count));
        o.put("vipFrom", v.vipOrigin().map(SniffRecord.VipOrigin::text).orElse(null));
        ArrayNode masters = o.putArray("masters");
        for (SniffSummary.MasterPeriod m : v.masters()) {
            ObjectNode p = masters.addObject();
            p.put("src", IpAddresses.format(m.source()));
            p.put("from", m.from().toString());
            p.put("until", m.until().toString());
            p.put("fromT", seconds(m.fromStart()));
            p.put("untilT", seconds(m.untilStart()));
            p.put("adverts", m.adverts());
            p.put("end", m.end().word());
        }
        ArrayNode transitions = o.putArray("transitions");
        for (SniffSummary.Transition t : v.transitions()) {
            ObjectNode p = transitions.addObject();
            p.put("at", t.at().toString());
            p.put("t", seconds(t.atStart()));
            p.put("from", IpAddresses.format(t.from()));
            p.put("to", IpAddresses.format(t.to()));
            p.put("withoutMaster", seconds(t.withoutMaster()));
        }
        ArrayNode dual = o.putArray("dualMasters");
        for (SniffSummary.DualMaster d : v.dualMasters()) {
            ObjectNode p = dual.addObject();
            p.put("from", d.from().toString());
            p.put("until", d.until().toString());
            p.put("fromT", seconds(d.fromStart()));
            p.put("untilT", seconds(d.untilStart()));
            addresses(p.putArray("sources"), d.sources());
        }
        o.put("possibleReplays", v.possibleReplays());
        ArrayNode notes = o.putArray("notes");
        v.notes().forEach(notes::add);
        return o;
    }

    private static void addresses(ArrayNode array, List<? extends InetAddress> list) {
        list.forEach(a -> array.add(IpAddresses.format(a)));
    }

    /** Seconds as an exact decimal with microseconds, e.g. 3.001234. */
    private static BigDecimal seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos() / 1000, 6);
    }
}
