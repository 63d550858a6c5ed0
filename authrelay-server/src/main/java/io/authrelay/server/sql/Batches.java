package io.authrelay.server.sql;

import java.util.function.IntSupplier;

/** Deleting in batches: a writer waiting on SQLite's lock waits for one batch at most, never for the whole backlog. */
final class Batches {
    private Batches() {}

    /**
     * Runs {@code deleteOneBatch} until it deletes fewer than {@code batchSize} rows, or the thread is interrupted
     * (the daemon is stopping).
     *
     * @return how many rows were deleted in all
     */
    static int deleteAll(int batchSize, IntSupplier deleteOneBatch) {
        int total = 0;
        int deleted;
        do {
            deleted = deleteOneBatch.getAsInt();
            total += deleted;
        } while (deleted == batchSize && !Thread.currentThread().isInterrupted());
        return total;
    }
}
