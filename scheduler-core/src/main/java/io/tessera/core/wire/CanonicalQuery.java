package io.tessera.core.wire;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A request's query as the signature covers it, and as the receiver must then read it: split on
 * {@code &} only, each name and value percent-decoded (and {@code +} read as a space, as form
 * decoders do). Its canonical form sorts the parameters by name, then value, each percent-encoded
 * per RFC 3986 (unreserved characters as they are, every other UTF-8 byte as {@code %XX}), so that
 * two queries that mean the same sign the same, whatever order and escaping the sender chose.
 */
public final class CanonicalQuery {

    /** At most this many parameters: the endpoints take four. */
    public static final int MAX_PARAMETERS = 64;

    private static final Comparator<Parameter> ORDER =
            Comparator.comparing(Parameter::name).thenComparing(Parameter::value);

    private final List<Parameter> parameters;

    private CanonicalQuery(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    /**
     * @param rawQuery the query as sent, without {@code ?}; null or empty for none
     * @throws IllegalArgumentException when an escape is malformed or there are too many parameters
     */
    public static CanonicalQuery parse(String rawQuery) {
        List<Parameter> parameters = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                if (parameters.size() == MAX_PARAMETERS) {
                    throw new IllegalArgumentException("the query has more than " + MAX_PARAMETERS + " parameters");
                }
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                parameters.add(new Parameter(decode(name), decode(value)));
            }
        }
        return new CanonicalQuery(parameters);
    }

    /** A query string for these parameters, in their order, each part encoded per RFC 3986. */
    public static String format(Map<String, ?> parameters) {
        return parameters.entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(String.valueOf(entry.getValue())))
                .collect(Collectors.joining("&"));
    }

    /** The decoded parameters, in the order they were sent (repeats included). */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** What the signature covers: sorted by name then value, RFC 3986 encoded, joined by {@code &}. */
    public String canonical() {
        return parameters.stream().sorted(ORDER)
                .map(parameter -> encode(parameter.name()) + "=" + encode(parameter.value()))
                .collect(Collectors.joining("&"));
    }

    /** Percent-encodes every byte of the UTF-8 form except RFC 3986's unreserved characters. */
    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the query string has a malformed percent escape in '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return canonical();
    }

    /** One decoded {@code name=value}; a name without {@code =} has the empty value. */
    public record Parameter(String name, String value) {
    }
}
