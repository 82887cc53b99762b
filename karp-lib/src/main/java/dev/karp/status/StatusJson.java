package dev.karp.status;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON form of {@link StatusSnapshot}, shared by the server and the client so both agree. Instants are
 * ISO-8601 strings ({@code 2026-11-26T11:09:22.123Z}); unknown keys are ignored on reading, so an older
 * {@code karp status} can read a newer daemon's snapshot.
 */
public final class StatusJson {
    // Configured once here and never changed afterwards; ObjectMapper is thread-safe in that use.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("karp-instant")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private StatusJson() {
    }

    /** The snapshot as UTF-8 JSON. */
    public static byte[] write(StatusSnapshot snapshot) {
        try {
            return MAPPER.writeValueAsBytes(snapshot);
        } catch (IOException e) {
            // Only plain records, strings and numbers are written; this cannot fail short of a bug.
            throw new IllegalStateException("cannot write status as JSON", e);
        }
    }

    /** The snapshot in UTF-8 JSON. @throws IOException if it is not a snapshot */
    public static StatusSnapshot read(byte[] json) throws IOException {
        try {
            return MAPPER.readValue(json, StatusSnapshot.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
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
