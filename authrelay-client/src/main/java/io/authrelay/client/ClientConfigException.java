package io.authrelay.client;

/** The client configuration cannot be used; the message is one line, ready for stderr after "authrelay: ". */
public class ClientConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ClientConfigException(String message) {
        super(message);
    }
}
