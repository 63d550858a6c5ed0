package io.authrelay.server.pty;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a run's patterns to its stripped output and reports to the listener: the URL and the code once each, the
 * input prompt, each line. A prompt usually waits on a line without an end, so prompts and the runner's own answers
 * are also matched against the open line (once per line). Whatever was typed into the run is masked before anything
 * sees the output: a PTY echoes it, and it may be a code. Thread-safe: a pipe run's stdout and stderr share it.
 */
final class OutputWatcher {
    private static final String MASK = "***";

    private final OutputPatterns patterns;
    private final List<PromptAnswer> answers;
    private final RunListener listener;
    private final Consumer<String> typist;
    private final List<String> typed = new ArrayList<>();
    private boolean urlCaptured;
    private boolean codeCaptured;
    private boolean successSeen;
    private String failureLine;
    private String lastLine;
    private boolean openLinePrompted;
    private final List<PromptAnswer> answeredOnOpenLine = new ArrayList<>();
    private long urlChunkAt;
    private long urlCapturedAt;

    OutputWatcher(OutputPatterns patterns, List<PromptAnswer> answers, RunListener listener, Consumer<String> typist) {
        this.patterns = patterns;
        this.answers = answers;
        this.listener = listener;
        this.typist = typist;
    }

    /** Masks this text wherever it shows up in later output. */
    synchronized void mask(String text) {
        if (!text.isBlank()) typed.add(text.strip());
    }

    /** A complete line; {@code arrivedAt} is when the chunk that completed it was read. */
    synchronized void line(String raw, long arrivedAt) {
        String line = masked(raw);
        listener.output(line);
        lastLine = line;
        if (!urlCaptured) {
            String url = capture(patterns.url(), line);
            if (url != null) reportUrl(url, arrivedAt);
        }
        if (!codeCaptured) {
            String code = capture(patterns.code(), line);
            if (code != null) {
                codeCaptured = true;
                listener.codeCaptured(code);
            }
        }
        if (!openLinePrompted && find(patterns.inputPrompt(), line)) listener.inputPrompted();
        for (PromptAnswer answer : answers) {
            if (!answeredOnOpenLine.contains(answer)
                    && answer.expect().matcher(line).find()) typist.accept(answer.send());
        }
        if (find(patterns.success(), line)) successSeen = true;
        if (find(patterns.failure(), line)) failureLine = line;
        openLinePrompted = false;
        answeredOnOpenLine.clear();
    }

    /** The line still open after a read: where a prompt waits. */
    synchronized void openLine(String raw) {
        if (raw.isBlank()) return;
        String line = masked(raw);
        if (!openLinePrompted && find(patterns.inputPrompt(), line)) {
            openLinePrompted = true;
            listener.inputPrompted();
        }
        for (PromptAnswer answer : answers) {
            if (!answeredOnOpenLine.contains(answer)
                    && answer.expect().matcher(line).find()) {
                answeredOnOpenLine.add(answer);
                typist.accept(answer.send());
            }
        }
    }

    /** A URL the CLI handed to its "browser": reported like a printed one when it fits the URL pattern. */
    synchronized void recordedUrl(String url, long arrivedAt) {
        if (urlCaptured) return;
        String captured =
                patterns.url() == null ? (url.startsWith("https://") ? url : null) : capture(patterns.url(), url);
        if (captured != null) reportUrl(captured, arrivedAt);
    }

    private void reportUrl(String url, long arrivedAt) {
        urlCaptured = true;
        urlChunkAt = arrivedAt;
        urlCapturedAt = System.nanoTime();
        listener.urlCaptured(url);
    }

    synchronized long urlChunkAt() {
        return urlChunkAt;
    }

    synchronized long urlCapturedAt() {
        return urlCapturedAt;
    }

    synchronized boolean successSeen() {
        return successSeen;
    }

    synchronized boolean failureSeen() {
        return failureLine != null;
    }

    /** The failure pattern's latest line, else the last non-empty line. */
    synchronized String lastLine() {
        return failureLine != null ? failureLine : lastLine;
    }

    private String masked(String line) {
        String out = line;
        for (String text : typed) out = out.replace(text, MASK);
        return out;
    }

    private static boolean find(Pattern pattern, String line) {
        return pattern != null && pattern.matcher(line).find();
    }

    private static String capture(Pattern pattern, String line) {
        if (pattern == null) return null;
        Matcher m = pattern.matcher(line);
        if (!m.find()) return null;
        return m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
    }
}
