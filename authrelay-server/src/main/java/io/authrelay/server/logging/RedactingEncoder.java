package io.authrelay.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import io.authrelay.core.redaction.SecretRedactor;
import java.nio.charset.StandardCharsets;

/**
 * Wraps whichever encoder formats the line (text or JSON) and redacts the finished bytes, so message,
 * arguments, MDC and stack traces all pass the same redaction, in every format.
 */
public final class RedactingEncoder extends EncoderBase<ILoggingEvent> {
    private final Encoder<ILoggingEvent> delegate;

    public RedactingEncoder(Encoder<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start() {
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        String line = new String(delegate.encode(event), StandardCharsets.UTF_8);
        return SecretRedactor.redact(line).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
