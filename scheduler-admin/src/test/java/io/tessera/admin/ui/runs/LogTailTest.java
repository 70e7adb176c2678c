package io.tessera.admin.ui.runs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a log tail reads: chained reads through a backlog, only what is new afterwards, a restarted log. */
class LogTailTest {

    @Test
    void aLongLogIsCaughtUpInOneGoAndCutToWhatThePanelKeeps() {
        String log = FakeShardLog.lines(1, 30_000, 100);
        FakeShardLog executor = new FakeShardLog().write(log);
        executor.stop();
        LogTail tail = new LogTail(executor, 7, 0);

        LogTail.Batch batch = tail.read().join();

        assertThat(executor.reads()).as("3 MB in 256 KiB reads").isBetween(12, 14);
        assertThat(batch.complete()).isTrue();
        assertThat(batch.cut()).isTrue();
        assertThat(batch.nextOffset()).isEqualTo(log.length());
        assertThat(batch.text().length()).isLessThanOrEqualTo(LogTail.KEEP_CHARS).isGreaterThan(LogTail.KEEP_CHARS - 200);
        assertThat(batch.text()).startsWith("line-").endsWith("line-30000 " + "x".repeat(88) + "\n");
        assertThat(log).endsWith(batch.text());
    }

    @Test
    void laterReadsReturnOnlyWhatTheLogGained() {
        FakeShardLog executor = new FakeShardLog().write("first\n");
        LogTail tail = new LogTail(executor, 7, 0);

        LogTail.Batch first = tail.read().join();
        tail.advance(first);
        assertThat(first.text()).isEqualTo("first\n");
        assertThat(first.complete()).isFalse();

        LogTail.Batch nothing = tail.read().join();
        tail.advance(nothing);
        assertThat(nothing.text()).isEmpty();

        executor.write("second\n").stop();
        LogTail.Batch last = tail.read().join();
        tail.advance(last);
        assertThat(last.text()).isEqualTo("second\n");
        assertThat(last.cut()).isFalse();
        assertThat(tail.complete()).isTrue();
    }

    @Test
    void aLogBegunAnewIsReadFromItsStart() {
        FakeShardLog executor = new FakeShardLog().write(FakeShardLog.lines(1, 10, 40));
        LogTail tail = new LogTail(executor, 7, 0);
        tail.advance(tail.read().join());

        executor.rewrite("again\n");
        LogTail.Batch batch = tail.read().join();

        assertThat(batch.restarted()).isTrue();
        assertThat(batch.text()).isEqualTo("again\n");
        assertThat(batch.nextOffset()).isEqualTo(6);
    }
}
