package io.authrelay.client.git;

/** Input that does not follow git's credential protocol (or exceeds our limits). */
public class MalformedCredentialException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedCredentialException(String message) {
        super(message);
    }
}
