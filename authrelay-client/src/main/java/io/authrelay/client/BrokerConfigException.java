package io.authrelay.client;

/** The broker configuration cannot be used; the message is one line, ready for stderr after "authrelay: ". */
public class BrokerConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public BrokerConfigException(String message) {
        super(message);
    }
}
