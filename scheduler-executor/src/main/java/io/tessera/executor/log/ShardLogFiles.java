package io.tessera.executor.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Where shard logs live ({@code {dir}/{runId}-{shard}-{attempt}.log}) and how they are read back. */
public final class ShardLogFiles {

    private final Path dir;

    public ShardLogFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(long runId, int shard, int attempt) {
        return dir.resolve(runId + "-" + shard + "-" + attempt + ".log");
    }

    /** The log of the shard's latest attempt on this agent, if there is one. */
    public Optional<Path> latest(long runId, int shard) throws IOException {
        String prefix = runId + "-" + shard + "-";
        Path best = null;
        int bestAttempt = -1;
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*.log")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    int attempt = Integer.parseInt(name.substring(prefix.length(), name.length() - ".log".length()));
                    if (attempt > bestAttempt) {
                        bestAttempt = attempt;
                        best = file;
                    }
                } catch (NumberFormatException e) {
                    // another shard's file whose name merely starts alike
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Up to {@code maxBytes} bytes from {@code offset}. The chunk ends at a line break where the
     * read holds one, so that a multi-byte character is not cut in two.
     */
    public static Chunk read(Path file, long offset, int maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (offset >= size) {
                return new Chunk("", size, size);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, size - offset));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // fill
            }
            byte[] bytes = buffer.array();
            int length = buffer.position();
            if (offset + length < size) {
                for (int i = length - 1; i >= 0; i--) {
                    if (bytes[i] == '\n') {
                        length = i + 1;
                        break;
                    }
                }
            }
            return new Chunk(new String(bytes, 0, length, StandardCharsets.UTF_8), offset + length, size);
        } catch (NoSuchFileException e) {
            return new Chunk("", offset, offset);
        }
    }

    public record Chunk(String text, long nextOffset, long size) {
    }
}
