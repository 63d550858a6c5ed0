package io.authrelay.client;

/** No daemon answered at the configured URL. */
public class DaemonUnreachableException extends Exception {
    public DaemonUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
