package io.authrelay.core;

import java.util.function.Supplier;

/** Runs a unit of work atomically across repositories. */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);
}
