package io.authrelay.core.clilogin;

import java.util.List;
import java.util.Map;

/**
 * How a workspace receives one kind of credential ({@code oauth} or {@code api_key}) in the form the real CLI reads,
 * never with a refresh token: environment variables for {@code exec}, and files for {@code materialize}, both with
 * the placeholders of {@link FileTemplate}.
 */
public record Delivery(Map<String, String> env, List<FileTemplate> files) {
    public Delivery {
        env = env == null ? Map.of() : Map.copyOf(env);
        files = files == null ? List.of() : List.copyOf(files);
    }
}
