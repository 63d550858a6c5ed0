package io.authrelay.server.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.authrelay.core.login.PollPolicy;
import io.authrelay.server.Daemon;
import io.authrelay.server.DaemonOptions;
import io.authrelay.server.logging.LogFormat;
import io.authrelay.server.logging.Logging;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The daemon in the test's own JVM, on an ephemeral loopback port: quick to start, and its state is inspectable. While it
 * runs, what this JVM logs at the root logger's level (WARN and up unless a test changes it) also goes to {@code log},
 * as a daemon process's output does.
 */
final class InProcessDaemon implements DaemonUnderTest {
    private final Daemon daemon;
    private final Path log;
    private final OutputStreamAppender<ILoggingEvent> appender;

    InProcessDaemon(Path home, Path log, Map<String, String> env, PollPolicy pollPolicy) {
        this.log = log;
        this.appender = captureInto(log);
        try {
            this.daemon =
                    Daemon.start(DaemonOptions.loopback(home, 0).withPollPolicy(pollPolicy), env, Clock.systemUTC());
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    private static OutputStreamAppender<ILoggingEvent> captureInto(Path log) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        try {
            OutputStreamAppender<ILoggingEvent> appender =
                    Logging.appender(context, LogFormat.TEXT, new FileOutputStream(log.toFile(), true));
            context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
            return appender;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void release() {
        ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(Logger.ROOT_LOGGER_NAME)
                .detachAppender(appender);
        appender.stop();
    }

    @Override
    public int port() {
        return daemon.port();
    }

    @Override
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void kill() {
        terminate();
    }

    @Override
    public int awaitExit(java.time.Duration timeout) {
        throw new UnsupportedOperationException("an in-process daemon stops only when the test closes it");
    }

    @Override
    public int terminate() {
        try {
            daemon.close();
        } finally {
            release();
        }
        return 0;
    }
}
