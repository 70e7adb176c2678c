package io.tessera.executor.log;

import io.tessera.executor.handler.ShardLog;
import org.slf4j.helpers.MessageFormatter;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A shard's log file, appended one unbuffered line at a time so that lines interleave cleanly with
 * the output a child process writes into the same file.
 *
 * <p>The file is made on the first line the handler writes (or when it asks for the file itself),
 * never before: a shard whose handler writes nothing leaves no file. The agent's header line is
 * kept until then and written first; its closing line is written only into a file that exists.
 */
public final class FileShardLog implements ShardLog, Closeable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FileShardLog.class);

    private final Path file;
    private final Clock clock;
    private final Instant headerAt;
    private final Supplier<String> header;
    /**
     * Guarded by this; null until the first line. A stream, not a FileChannel: an interrupted
     * handler (killed, preempted) still writes its last lines, where a channel would close itself.
     */
    private FileOutputStream stream;
    private boolean closed; // guarded by this

    /** A log without a header line. */
    public FileShardLog(Path file, Clock clock) {
        this(file, clock, null);
    }

    /**
     * Makes nothing on disk.
     *
     * @param header the agent's first line, formatted only if the file is ever made; null for none
     */
    public FileShardLog(Path file, Clock clock, Supplier<String> header) {
        this.file = file;
        this.clock = clock;
        this.header = header;
        this.headerAt = header == null ? null : clock.instant();
    }

    /** Where the log goes; the file may not exist (yet). */
    public Path file() {
        return file;
    }

    /**
     * Makes the file now (with the header line) if it does not exist yet, for a handler that writes
     * into it directly, such as a child process's output.
     *
     * @throws UncheckedIOException when the file cannot be made
     */
    public synchronized Path open() {
        if (stream == null && !closed) {
            try {
                openStream();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the shard log " + file, e);
            }
        }
        return file;
    }

    @Override
    public void info(String format, Object... args) {
        write(MessageFormatter.arrayFormat(format, args).getMessage(), true);
    }

    @Override
    public void error(String message, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        write(message + System.lineSeparator() + trace.toString().stripTrailing(), true);
    }

    /** The agent's own closing line: written only when the file exists, so it never makes one by itself. */
    public void infoIfOpen(String format, Object... args) {
        write(MessageFormatter.arrayFormat(format, args).getMessage(), false);
    }

    /** Whether the file was made. */
    public synchronized boolean isOpen() {
        return stream != null;
    }

    private synchronized void write(String text, boolean makeFile) {
        if (closed || (stream == null && !makeFile)) {
            return;
        }
        try {
            if (stream == null) {
                openStream();
            }
            append(clock.instant(), text);
        } catch (IOException e) {
            // A full disk must not fail the shard; the agent's own log says so.
            log.warn("cannot write to {}: {}", file, e.getMessage());
        }
    }

    // Guarded by this.
    private void openStream() throws IOException {
        Files.createDirectories(file.getParent());
        stream = new FileOutputStream(file.toFile(), true);
        if (header != null) {
            append(headerAt, header.get());
        }
    }

    // Guarded by this.
    private void append(Instant at, String text) throws IOException {
        stream.write(("[" + at + "] " + text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            log.warn("cannot close the shard log {}: {}", file, e.getMessage());
        }
    }
}
