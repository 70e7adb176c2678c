package io.tessera.admin.fuzz;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The building blocks of every fuzz request: hostile text, numbers, JSON values, path segments and
 * path tricks. Each mixes plausible values (so that requests also get past the first check) with
 * values chosen to break parsers, columns and routers.
 */
final class HostileValues {

    private HostileValues() {
    }

    static final List<String> NASTY_TEXT = List.of(
            "", " ", "\u0000", "a\u0000b", "\t\r\n", "../../../../etc/passwd", "..\\..\\windows", "%00", "%2e%2e%2f",
            "${jndi:ldap://127.0.0.1:1/x}", "#{7*7}", "<script>alert(1)</script>", "' OR '1'='1' --", "\"; DROP TABLE job; --",
            "\uFEFF", "\u202Eevil", "\uD83D\uDCA9", "\uD800", "\uDFFF", "Ω≈ç√∫", "名前", "\u0301\u0301\u0301", "null", "true",
            "-0", "1e400", "NaN", "Infinity", "*", "?", "\\", "/", "//", "fuzz", "echo", "command", "default",
            "x".repeat(256), "é".repeat(300), "y".repeat(70_000));

    static final List<String> NASTY_NUMBERS = List.of(
            "0", "-0", "1", "-1", "2", "7", "10000", "10001", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1" + "0".repeat(400), "1.5", "-0.0",
            "1e3", "1E400", "-1e400", "0.000000000000000000000001", "00012", "1e-7");

    /** Any text: the nasty list, random Unicode (unpaired surrogates included), or short plausible words. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(NASTY_TEXT)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(20)));
    }

    /** A JSON number as text, including ones no Java type holds. */
    static Arbitrary<String> number() {
        return Arbitraries.oneOf(Arbitraries.of(NASTY_NUMBERS),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.integers().between(-5, 20).map(String::valueOf),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(19), java.math.BigInteger.TEN.pow(40)).map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf));
    }

    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    /** Any JSON value of any type, nested a little. */
    static Arbitrary<String> jsonValue() {
        return Arbitraries.lazyOf(
                () -> text().map(HostileValues::quote),
                HostileValues::number,
                () -> Arbitraries.of("true", "false", "null", "{}", "[]", "[null]", "{\"\":null}"),
                () -> jsonValue().list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]"),
                () -> Combinators.combine(text(), jsonValue()).as((k, v) -> "{" + quote(k) + ":" + v + "}"),
                HostileValues::deepJson);
    }

    /** Thousands of nested arrays or objects, closed or not. */
    static Arbitrary<String> deepJson() {
        return Combinators.combine(Arbitraries.integers().between(500, 6000), Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of(true, false)).as((depth, open, closed) -> {
            String close = open.equals("[") ? "]" : "}";
            return open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
        });
    }

    /** A value for a field: mostly one of its plausible values, else anything. */
    static Arbitrary<String> field(Arbitrary<String> plausible) {
        return Arbitraries.frequencyOf(Tuple.of(5, plausible), Tuple.of(5, jsonValue()));
    }

    /** A JSON object with some of the given fields (and sometimes unknown ones), each plausible or hostile. */
    static Arbitrary<String> object(Map<String, Arbitrary<String>> fields) {
        // Sorted: Map.of iterates in an order that changes from run to run, and a seed must replay the same requests.
        List<Arbitrary<String>> members = fields.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(field -> Arbitraries.frequencyOf(
                        Tuple.of(6, field.getValue().map(value -> quote(field.getKey()) + ":" + value)),
                        Tuple.of(4, Arbitraries.just(""))))
                .toList();
        Arbitrary<String> unknown = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("")),
                Tuple.of(2, Combinators.combine(text(), jsonValue()).as((k, v) -> quote(k) + ":" + v)));
        return Combinators.combine(Combinators.combine(members).as(List::copyOf), unknown)
                .as((parts, extra) -> "{" + String.join(",", java.util.stream.Stream.concat(parts.stream(), java.util.stream.Stream.of(extra))
                        .filter(part -> !part.isEmpty()).toList()) + "}");
    }

    /** A body: usually the object, else the object cut short, another JSON value, deep JSON or bytes that are not JSON. */
    static Arbitrary<byte[]> body(Arbitrary<String> object) {
        Arbitrary<byte[]> json = object.map(HostileValues::utf8);
        Arbitrary<byte[]> truncated = Combinators.combine(object, Arbitraries.doubles().between(0, 1))
                .as((text, cut) -> utf8(text.substring(0, (int) (text.length() * cut))));
        return Arbitraries.frequencyOf(
                Tuple.of(10, json),
                Tuple.of(2, truncated),
                Tuple.of(2, jsonValue().map(HostileValues::utf8)),
                Tuple.of(1, deepJson().map(HostileValues::utf8)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                Tuple.of(1, Arbitraries.of("", "null", "{", "{\"\u0000\":1}", "\u0000\u0000", "{}{}", "[]", "\"x\"")
                        .map(HostileValues::utf8)));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A path segment standing for an id: real ids, edge numbers, text, encoded separators. */
    static Arbitrary<String> pathId(Arbitrary<String> realIds) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, realIds),
                Tuple.of(3, Arbitraries.of(NASTY_NUMBERS).filter(n -> n.length() < 500)),
                Tuple.of(2, Arbitraries.of("abc", "%00", "%20", "%C3%B6", "%F0%9F%92%A9", "0x10", "+1", "1%2F2", "..", "%2e%2e",
                        ".", "%2e", "1;x=y", "1%3B", "%", "%zz", "1.json", "%E2%80%AE1", "null", "1%0d%0aX-Injected:%201")),
                Tuple.of(1, text().map(HostileValues::encode)));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Rewrites a path the way attackers do; most of the time leaves it alone. */
    static Arbitrary<Function<String, String>> pathTrick() {
        List<Function<String, String>> tricks = List.of(
                path -> path.replace("/v1/", "//v1/"),
                path -> path + "/",
                path -> path + "//",
                path -> path.replace("/v1/", "/v1/./"),
                path -> path.replace("/v1/", "/v1/../v1/"),
                path -> path.replace("/v1/", "/v1/%2e%2e/v1/"),
                path -> path.replace("/v1/", "/v1/%2e/"),
                path -> path.replace("/v1/", "/v1%2F"),
                path -> path.replace("/v1/", "/v1%2f"),
                path -> path.replace("/v1/", "/v1%5C"),
                path -> path.replace("/v1/", "/v1\\"),
                path -> path.replace("/v1/", "/v1;x=y/"),
                path -> path.replace("/v1/", "/v1/..;/v1/"),
                path -> path.replace("/v1/", "/v1/%252e%252e/"),
                path -> path.replace("/v1/", "/v1/%00/"),
                path -> path + "%00",
                path -> path + "/../../../../etc/passwd",
                path -> path + "/%2e%2e/%2e%2e/",
                path -> path.toUpperCase(java.util.Locale.ROOT),
                path -> path + ".json",
                path -> path + "?",
                path -> "http://127.0.0.1" + path,
                path -> path + "/" + "x".repeat(9000));
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Function.identity())),
                Tuple.of(4, Arbitraries.of(tricks)));
    }
}
