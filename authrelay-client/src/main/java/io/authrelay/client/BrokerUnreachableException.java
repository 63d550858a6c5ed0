package io.authrelay.client;

/**
 * No answer from the broker within the deadline, retries included, or an endpoint this client will not send a token
 * to. The message is the one-line error.
 */
public class BrokerUnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    public BrokerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
