package io.tessera.bench.chaos;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The store a fenced handler writes to, shared by every worker process: one small file per
 * (run, shard) holding the highest fencing token seen, read and written under an exclusive file lock.
 * A holder announces its token when it starts ({@link #observe}); a write carrying a lower token than
 * the highest seen is refused ({@link #write}), as a store that checks fencing tokens must.
 */
final class FencedStore {

    private final Path dir;

    FencedStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Records {@code token} as seen: the highest seen becomes at least it. */
    void observe(long runId, int shard, long token) throws IOException {
        update(runId, shard, token, false);
    }

    /** True when the write with {@code token} is accepted (no higher token was seen before it). */
    boolean write(long runId, int shard, long token) throws IOException {
        return update(runId, shard, token, true);
    }

    private boolean update(long runId, int shard, long token, boolean isWrite) throws IOException {
        Path file = dir.resolve(runId + "-" + shard);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES);
            long highest = channel.read(buffer, 0) == Long.BYTES ? buffer.flip().getLong() : Long.MIN_VALUE;
            if (isWrite && token < highest) {
                return false;
            }
            if (token > highest) {
                channel.write(ByteBuffer.allocate(Long.BYTES).putLong(0, token), 0);
                channel.force(false);
            }
            return true;
        }
    }
}
