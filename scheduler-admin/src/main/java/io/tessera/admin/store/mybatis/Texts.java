package io.tessera.admin.store.mybatis;

/** Small text helpers the stores share. */
final class Texts {

    /** Longest message kept; a {@code TEXT} column holds 64 KiB, and four bytes per character is the worst case. */
    static final int MAX_MESSAGE_CHARS = 16_000;

    private Texts() {
    }

    static String clip(String message) {
        if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }

    /** A LIKE pattern matching {@code text} anywhere, with {@code !} as the escape character. */
    static String containsPattern(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + escaped.toLowerCase(java.util.Locale.ROOT) + "%";
    }
}
