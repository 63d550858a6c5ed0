package io.authrelay.server.logging;

public enum LogFormat {
    TEXT,
    JSON
}
