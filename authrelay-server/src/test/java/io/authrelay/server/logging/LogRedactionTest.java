package io.authrelay.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.authrelay.core.redaction.SecretRedactor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;

class LogRedactionTest {
    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void aRegisteredSecretNeverReachesTheLogInMessagesArgumentsOrStackTraces(LogFormat format) {
        String canary = "Canary\"" + UUID.randomUUID();
        String githubShaped = "gho_" + UUID.randomUUID().toString().replace("-", "");
        SecretRedactor.register(canary);
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Logging.configure(context, format, Level.INFO, out);
        Logger log = context.getLogger("test");

        log.info("secret in message " + canary);
        log.info("secret in argument {} and {}", canary, githubShaped);
        log.error("failure", new IllegalStateException("bad token " + canary, new RuntimeException(githubShaped)));
        context.stop();

        String written = out.toString(StandardCharsets.UTF_8);
        assertThat(written).contains("secret in message", "failure", "IllegalStateException", SecretRedactor.MASK);
        assertThat(written).doesNotContain(canary, canary.replace("\"", "\\\""), githubShaped);
    }
}
