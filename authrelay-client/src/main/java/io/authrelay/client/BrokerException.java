package io.authrelay.client;

/** The broker answered, but not with what was asked for. The message is the one-line error. */
public class BrokerException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient BrokerError error;

    public BrokerException(String message, BrokerError error) {
        super(message);
        this.error = error;
    }

    /** The broker's error, or null when the answer was not in the error shape. */
    public BrokerError error() {
        return error;
    }
}
