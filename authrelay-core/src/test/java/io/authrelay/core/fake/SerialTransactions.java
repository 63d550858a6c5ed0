package io.authrelay.core.fake;

import io.authrelay.core.Transactions;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** One transaction at a time, joined when nested, as SQLite's single writer runs them. Nothing rolls back. */
public final class SerialTransactions implements Transactions {
    private final ReentrantLock writer = new ReentrantLock();

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        writer.lock();
        try {
            return work.get();
        } finally {
            writer.unlock();
        }
    }
}
