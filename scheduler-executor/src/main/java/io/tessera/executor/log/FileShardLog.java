package io.tessera.executor.log;

import io.tessera.executor.handler.ShardLog;
import org.slf4j.helpers.MessageFormatter;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * A shard's log file, appended one unbuffered line at a time so that lines interleave cleanly with
 * the output a child process writes into the same file.
 */
public final class FileShardLog implements ShardLog, Closeable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FileShardLog.class);

    private final Path file;
    private final Clock clock;
    private final FileChannel channel;

    public FileShardLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        try {
            Files.createDirectories(file.getParent());
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the shard log " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void info(String format, Object... args) {
        write(MessageFormatter.arrayFormat(format, args).getMessage());
    }

    @Override
    public void error(String message, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        write(message + System.lineSeparator() + trace.toString().stripTrailing());
    }

    private synchronized void write(String text) {
        if (!channel.isOpen()) {
            return;
        }
        byte[] bytes = ("[" + clock.instant() + "] " + text + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            // A full disk must not fail the shard; the agent's own log says so.
            log.warn("cannot write to {}: {}", file, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
