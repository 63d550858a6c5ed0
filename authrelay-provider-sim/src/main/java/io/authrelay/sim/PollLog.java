package io.authrelay.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** The token-endpoint requests seen, oldest first; {@link #MAX_POLLS} bounds it. */
final class PollLog {
    /** Oldest polls are dropped past this many, so a long benchmark cannot exhaust memory. */
    static final int MAX_POLLS = 2_000_000;

    /** A token-endpoint request as it arrived, to be logged with its answer. */
    record Request(long atEpochMillis, String grantType, String userCode) {}

    /** A logged poll; its error turns to "timeout" when the answer could not be written. */
    static final class Entry {
        private final Request request;
        private final int status;
        private volatile String error;

        private Entry(Request request, int status, String error) {
            this.request = request;
            this.status = status;
            this.error = error;
        }

        void markTimedOut() {
            error = "timeout";
        }

        Poll toPoll() {
            return new Poll(request.atEpochMillis(), request.grantType(), request.userCode(), status, error);
        }
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    Entry record(Request request, int status, String error) {
        Entry entry = new Entry(request, status, error);
        entries.add(entry);
        // Bounded: each extra element removes at most one, so this loop ends.
        for (int i = 0; i < 4 && size.incrementAndGet() > MAX_POLLS; i++) {
            if (entries.poll() == null) break;
            size.decrementAndGet();
        }
        return entry;
    }

    List<Poll> snapshot() {
        List<Poll> out = new ArrayList<>();
        for (Entry e : entries) out.add(e.toPoll());
        return out;
    }

    void clear() {
        entries.clear();
        size.set(0);
    }
}
