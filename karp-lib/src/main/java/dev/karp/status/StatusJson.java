package dev.karp.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON form of {@link StatusSnapshot}, shared by the server and the client so both agree. Instants are
 * ISO-8601 strings ({@code 2026-11-26T11:09:22.123Z}); unknown keys are ignored on reading, so an older
 * {@code karp status} can read a newer daemon's snapshot.
 *
 * <p>Writing goes through Jackson's streaming generator, key by key in the order of the record's
 * {@code @JsonPropertyOrder}; reading uses data binding. The daemon only writes: data binding's introspection
 * and serializer classes made a daemon whose status is polled about 6 MB larger (docs/benchmarks.md).
 */
public final class StatusJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private StatusJson() {
    }

    /** The snapshot as UTF-8 JSON. */
    public static byte[] write(StatusSnapshot s) {
        var out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeGroup(g, s);
        } catch (IOException e) {
            // Into memory, from plain strings and numbers: this cannot fail short of a bug.
            throw new IllegalStateException("cannot write status as JSON", e);
        }
        return out.toByteArray();
    }

    private static void writeGroup(JsonGenerator g, StatusSnapshot s) throws IOException {
        {
            g.writeStartObject();
            g.writeStringField("state", s.state());
            g.writeStringField("vip", s.vip());
            g.writeArrayFieldStart("vips");
            for (String v : s.vips()) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeStringField("interface", s.interfaceName());
            g.writeNumberField("vhid", s.vhid());
            g.writeNumberField("advbase", s.advbase());
            g.writeNumberField("advskew", s.advskew());
            g.writeStringField("master", s.master());
            g.writeFieldName("masterDownSeconds");
            if (s.masterDownSeconds() == null) {
                g.writeNull();
            } else {
                g.writeNumber(s.masterDownSeconds());
            }
            g.writeStringField("since", s.since().toString());
            g.writeNumberField("transitions", s.transitions());
            g.writeFieldName("vipPresent");
            if (s.vipPresent() == null) {
                g.writeNull();
            } else {
                g.writeBoolean(s.vipPresent());
            }
            g.writeStringField("health", s.health());
            g.writeArrayFieldStart("peers");
            for (StatusSnapshot.Peer p : s.peers()) {
                g.writeStartObject();
                g.writeStringField("src", p.src());
                g.writeNumberField("advbase", p.advbase());
                g.writeNumberField("advskew", p.advskew());
                g.writeNumberField("lastSeenMillisAgo", p.lastSeenMillisAgo());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!s.unheardPeers().isEmpty()) {
                g.writeArrayFieldStart("unheardPeers");
                for (String p : s.unheardPeers()) {
                    g.writeString(p);
                }
                g.writeEndArray();
            }
            g.writeObjectFieldStart("counters");
            g.writeNumberField("sent", s.counters().sent());
            g.writeNumberField("received", s.counters().received());
            g.writeObjectFieldStart("rejected");
            for (var e : s.counters().rejected().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            if (s.alerts().any()) {
                writeAlerts(g, s.alerts());
            }
            g.writeArrayFieldStart("lastTransitions");
            for (StatusSnapshot.Transition t : s.lastTransitions()) {
                g.writeStartObject();
                g.writeStringField("at", t.at().toString());
                g.writeStringField("from", t.from());
                g.writeStringField("to", t.to());
                g.writeStringField("reason", t.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!s.groups().isEmpty()) {
                g.writeArrayFieldStart("groups");
                for (StatusSnapshot group : s.groups()) {
                    writeGroup(g, group);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    private static void writeAlerts(JsonGenerator g, StatusSnapshot.Alerts a) throws IOException {
        g.writeObjectFieldStart("alerts");
        g.writeStringField("spoofedFrom", a.spoofedFrom());
        g.writeNumberField("vipConflicts", a.vipConflicts());
        g.writeStringField("vipConflict", a.vipConflict());
        g.writeStringField("phantomMaster", a.phantomMaster());
        g.writeNumberField("secondMasters", a.secondMasters());
        g.writeStringField("secondMaster", a.secondMaster());
        g.writeFieldName("captureDropped");
        if (a.captureDropped() == null) {
            g.writeNull();
        } else {
            g.writeNumber(a.captureDropped());
        }
        g.writeFieldName("captureIfDropped");
        if (a.captureIfDropped() == null) {
            g.writeNull();
        } else {
            g.writeNumber(a.captureIfDropped());
        }
        g.writeEndObject();
    }

    /** The snapshot in UTF-8 JSON. @throws IOException if it is not a snapshot */
    public static StatusSnapshot read(byte[] json) throws IOException {
        try {
            return Reader.MAPPER.readValue(json, StatusSnapshot.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Loaded on the first read only: the daemon never reads. */
    private static final class Reader {
        // Configured once here and never changed afterwards; ObjectMapper is thread-safe in that use.
        static final ObjectMapper MAPPER = new ObjectMapper()
                .registerModule(new SimpleModule("karp-instant").addDeserializer(Instant.class, new InstantDeserializer()))
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return Instant.parse(p.getValueAsString());
            } catch (DateTimeParseException | NullPointerException e) {
                throw ctxt.weirdStringException(p.getValueAsString(), Instant.class, "not an ISO-8601 instant");
            }
        }
    }
}
