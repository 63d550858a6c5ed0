package io.authrelay.core.clilogin;

/**
 * A file the broker writes: {@code path} relative to a home directory, {@code content} with placeholders such as
 * {@code {{access_token}}}, {@code {{expires_at_ms}}}, {@code {{account}}}, {@code {{now_rfc3339}}} and
 * {@code {{refresh_url}}} filled in (each JSON-escaped when the file is JSON).
 */
public record FileTemplate(String path, String content) {}
