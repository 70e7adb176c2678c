package io.tessera.admin.ui.runs;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.dom.Element;
import io.tessera.admin.dispatch.ShardLogReader;
import io.tessera.admin.dispatch.ShardLogUnavailable;
import io.tessera.core.model.ShardRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;

/**
 * One shard's log, read from the executor that ran it and followed while the shard runs: each
 * {@link #poll} reads from where the last read ended and appends, so the browser receives only what
 * is new. The panel keeps the last {@value LogTail#KEEP_CHARS} characters and says so when it drops
 * earlier ones. Reads never hold the UI lock: they run on the executor client's threads and hand
 * their text to the UI through {@link UI#access}.
 */
final class ShardLogPanel extends Div {

    private static final Logger log = LoggerFactory.getLogger(ShardLogPanel.class);

    /** Failures that reading again will not mend once the shard has finished. */
    private static final Set<ShardLogUnavailable.Reason> FINAL = EnumSet.of(ShardLogUnavailable.Reason.NO_SUCH_RUN,
            ShardLogUnavailable.Reason.NO_SUCH_SHARD, ShardLogUnavailable.Reason.NOT_PLACED,
            ShardLogUnavailable.Reason.EXECUTOR_GONE, ShardLogUnavailable.Reason.NO_SUCH_LOG,
            ShardLogUnavailable.Reason.INVALID_REQUEST);
    /** Failed reads in a row after which a finished shard's log is given up on. */
    private static final int MAX_FAILURES_WHEN_FINISHED = 5;

    private record Piece(Element node, String text) {
    }

    private final ShardLogReader reader;
    private final Runnable changed;
    private final H3 title = new H3();
    private final Span state = new Span();
    private final Span trimmed = new Span(String.format(
            "Earlier lines are not shown: this page keeps the last %,d characters of the log.", LogTail.KEEP_CHARS));
    private final Pre text = new Pre();
    private final Deque<Piece> pieces = new ArrayDeque<>();
    private int chars;
    private ShardRun shard;
    private LogTail tail;
    private boolean reading;
    private boolean givenUp;
    private int failures;

    /** @param changed told after each read, so that the view can decide whether to keep refreshing */
    ShardLogPanel(ShardLogReader reader, Runnable changed) {
        this.reader = reader;
        this.changed = changed;
        setId("shard-log-panel");
        setWidthFull();
        title.setId("shard-log-title");
        state.setId("shard-log-state");
        state.addClassNames("text-secondary", "text-s");
        trimmed.setId("shard-log-trimmed");
        trimmed.addClassNames("text-secondary", "text-s");
        trimmed.setVisible(false);
        text.setId("shard-log");
        text.addClassName("tessera-log");
        text.getStyle().set("max-height", "60vh").set("min-height", "4em");
        add(title, state, trimmed, text);
        setVisible(false);
    }

    /** Shows this shard's log from its start, and follows it while the shard runs. */
    void show(ShardRun shard) {
        this.shard = shard;
        setVisible(true);
        restart();
        poll();
    }

    /** Shows nothing and reads nothing more. */
    void reset() {
        shard = null;
        tail = null;
        reading = false;
        clear();
        setVisible(false);
    }

    /** Takes the shard's latest state; a new attempt has a new log, which is shown from its start. */
    void update(ShardRun latest) {
        if (shard == null || latest.shardIndex() != shard.shardIndex()) {
            return;
        }
        boolean newAttempt = latest.attempt() != shard.attempt()
                || (latest.executorId() != null && !latest.executorId().equals(shard.executorId()));
        shard = latest;
        if (newAttempt) {
            restart();
        }
    }

    /** Whether the log still needs reading: its shard runs, or its end has not been read yet. */
    boolean following() {
        return shard != null && !givenUp && !(tail.complete() && shard.status().isTerminal());
    }

    /** Reads what the log gained, unless a read is under way or there is nothing more to read. */
    void poll() {
        if (!following() || reading) {
            return;
        }
        UI ui = UI.getCurrent();
        LogTail source = tail;
        reading = true;
        source.read().whenComplete((batch, failure) -> {
            try {
                ui.access(() -> {
                    if (source != tail) {
                        return; // a read of a log no longer shown
                    }
                    reading = false;
                    if (failure != null) {
                        failed(ShardLogUnavailable.of(failure));
                    } else {
                        append(source, batch);
                    }
                    changed.run();
                });
            } catch (UIDetachedException e) {
                log.debug("The page showing shard {} of run {} was closed before its log arrived", source.shardIndex(),
                        source.runId());
            }
        });
    }

    private void restart() {
        title.setText("Log of shard " + shard.shardIndex() + (shard.executorId() == null ? "" : " on " + shard.executorId())
                + (shard.attempt() > 1 ? ", attempt " + shard.attempt() : ""));
        tail = new LogTail(reader, shard.runId(), shard.shardIndex());
        reading = false;
        givenUp = false;
        failures = 0;
        clear();
        state.setText("Reading…");
    }

    private void append(LogTail from, LogTail.Batch batch) {
        if (batch.restarted()) {
            clear();
        }
        from.advance(batch);
        failures = 0;
        if (batch.cut()) {
            clear();
            trimmed.setVisible(true);
        }
        if (!batch.text().isEmpty()) {
            Element node = Element.createText(batch.text());
            text.getElement().appendChild(node);
            pieces.addLast(new Piece(node, batch.text()));
            chars += batch.text().length();
            keepLast(LogTail.KEEP_CHARS);
        }
        state.setText(from.complete() ? "The whole log." + (chars == 0 ? " It is empty." : "")
                : shard.status().isTerminal() ? "Reading the end of the log…" : "Following the log while the shard runs…");
    }

    private void failed(ShardLogUnavailable failure) {
        failures++;
        if (shard.status().isTerminal() && (FINAL.contains(failure.reason()) || failures >= MAX_FAILURES_WHEN_FINISHED)) {
            givenUp = true;
        }
        state.setText(failure.getMessage() + (givenUp ? "" : " (trying again)"));
    }

    /** Drops the oldest text until at most {@code limit} characters remain, cutting at a line start. */
    private void keepLast(int limit) {
        while (chars > limit && !pieces.isEmpty()) {
            Piece oldest = pieces.peekFirst();
            int excess = chars - limit;
            trimmed.setVisible(true);
            if (oldest.text().length() <= excess) {
                pieces.removeFirst();
                text.getElement().removeChild(oldest.node());
                chars -= oldest.text().length();
                continue;
            }
            int lineStart = oldest.text().indexOf('\n', excess - 1);
            String rest = lineStart >= 0 ? oldest.text().substring(lineStart + 1) : oldest.text().substring(excess);
            oldest.node().setText(rest);
            pieces.removeFirst();
            pieces.addFirst(new Piece(oldest.node(), rest));
            chars -= oldest.text().length() - rest.length();
        }
    }

    private void clear() {
        text.getElement().removeAllChildren();
        pieces.clear();
        chars = 0;
        trimmed.setVisible(false);
    }

    /** The log text the panel holds now. */
    String logText() {
        StringBuilder all = new StringBuilder(chars);
        pieces.forEach(piece -> all.append(piece.text()));
        return all.toString();
    }
}
