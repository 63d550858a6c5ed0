package io.authrelay.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/** Points all logging at stderr through the redacting encoder; stdout stays free for command output and JSON-RPC. */
public final class Logging {
    private Logging() {}

    public static void configure(LogFormat format, Level level) {
        configure((LoggerContext) LoggerFactory.getILoggerFactory(), format, level);
    }

    static void configure(LoggerContext context, LogFormat format, Level level) {
        configure(context, format, level, System.err);
    }

    /** Reconfiguring stops the old appender, which closes its stream; System.err must survive that. */
    private static final class NonClosingOutputStream extends FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    static void configure(LoggerContext context, LogFormat format, Level level, OutputStream target) {
        context.reset();
        OutputStreamAppender<ILoggingEvent> stderr = appender(context, format, new NonClosingOutputStream(target));
        stderr.setName("stderr");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(stderr);
        for (String noisy :
                new String[] {"org.eclipse.jetty", "com.zaxxer.hikari", "org.flywaydb", "io.javalin", "org.jdbi"}) {
            context.getLogger(noisy).setLevel(Level.WARN);
        }
    }

    /**
     * A started appender writing {@code format} lines, redacted, to {@code target}; the tests attach one to keep the log
     * of a daemon that runs in their JVM.
     */
    public static OutputStreamAppender<ILoggingEvent> appender(
            LoggerContext context, LogFormat format, OutputStream target) {
        Encoder<ILoggingEvent> inner;
        if (format == LogFormat.JSON) {
            LogstashEncoder json = new LogstashEncoder();
            json.setContext(context);
            inner = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setContext(context);
            text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{24} - %msg%n%ex");
            inner = text;
        }
        RedactingEncoder encoder = new RedactingEncoder(inner);
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(target);
        appender.start();
        return appender;
    }
}
