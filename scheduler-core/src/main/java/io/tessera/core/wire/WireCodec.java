package io.tessera.core.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;

/**
 * JSON for everything that crosses a process boundary: wire messages, executor cards and
 * ZooKeeper nodes. Unknown fields are ignored so that a newer peer may add some; a newer
 * protocol version is refused. Instants are written as epoch milliseconds: thousands of them a
 * second cross the wire, ISO text cost more to write and read than everything else of a message,
 * and nothing Tessera keeps is finer than a millisecond. ISO text is still read.
 */
public final class WireCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    private WireCodec() {
    }

    /** The shared, configured mapper; thread-safe. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static <T> T decode(byte[] bytes, Class<T> type) {
        if (bytes == null || bytes.length == 0) {
            throw new WireFormatException("empty body; expected a " + type.getSimpleName() + " as JSON");
        }
        T value;
        try {
            value = MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new WireFormatException("not a valid " + type.getSimpleName() + " " + where(e) + ": " + detail, e);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("not a valid " + type.getSimpleName() + " body: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new WireFormatException("not a valid " + type.getSimpleName() + " body: it is JSON null");
        }
        if (value instanceof WireMessage message && message.v() > WireMessage.PROTOCOL_VERSION) {
            throw new WireFormatException(type.getSimpleName() + " has protocol version " + message.v()
                    + " (field 'v'); this build reads up to " + WireMessage.PROTOCOL_VERSION + ": upgrade it");
        }
        if (value instanceof WireMessage message && message.v() < 1) {
            throw new WireFormatException(type.getSimpleName() + " has no protocol version (field 'v')");
        }
        if (value instanceof WireMessage message && message.v() < WireMessage.MIN_PROTOCOL_VERSION) {
            throw new WireFormatException(type.getSimpleName() + " has protocol version " + message.v()
                    + " (field 'v'), older than this build reads (" + WireMessage.MIN_PROTOCOL_VERSION + "): the peer runs an older"
                    + " Tessera; upgrade admins and agents together");
        }
        return value;
    }

    /** Which part of the message is at fault, as its sender names it: {@code field 'results[0].status'}, or the body. */
    private static String where(IOException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "body";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : "at field '" + path + "'";
    }
}
