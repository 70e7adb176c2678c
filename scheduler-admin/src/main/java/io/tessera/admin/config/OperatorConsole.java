package io.tessera.admin.config;

import java.io.PrintStream;

/**
 * Where the admin shows the person who started it a secret it made for them (a generated cluster
 * secret, the first user's password, the demo's token): its standard output, once, and never the
 * logging framework. A logger's output goes wherever the logging configuration sends it
 * ({@code logging.file.name}, a shipped log, a JSON appender), and any configuration can add an
 * appender; standard output is the console the operator watches (or whatever they redirected it to).
 * The log says only that a secret was shown and where it is kept.
 */
public final class OperatorConsole {

    private OperatorConsole() {
    }

    public static void show(String text) {
        PrintStream out = System.out;
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
