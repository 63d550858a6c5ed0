package io.authrelay.client;

/** No answer from the broker within the deadline, retries included. The message is the one-line error. */
public class BrokerUnreachableException extends DaemonUnreachableException {
    private static final long serialVersionUID = 1L;

    public BrokerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
