package io.authrelay.core.audit;

/** Who did something and from where; recorded with every audit event. */
public record Actor(String name, String origin) {
    public static Actor system() {
        return new Actor("system", "local");
    }
}
