package io.authrelay.client.git;

/**
 * An attribute the helpers refuse to ask the broker about ({@link AttributeRules}). It is a malformed request to the
 * daemon, which reads the sh helper's body with the same parser; the helpers answer it with {@code quit=1} instead.
 */
public final class UnsafeAttributeException extends MalformedCredentialException {
    private static final long serialVersionUID = 1L;

    /** @param reason why, e.g. "it contains whitespace": the message reads "refusing host: it contains whitespace" */
    public UnsafeAttributeException(String attribute, String reason) {
        super("refusing " + attribute + ": " + reason);
    }
}
