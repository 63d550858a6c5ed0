package io.authrelay.server.pty;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records what a run reports; {@code atEnd} runs inside {@code ended}, while the home still exists. */
final class RecordingListener implements RunListener {
    final List<String> urls = new CopyOnWriteArrayList<>();
    final List<String> codes = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Integer> queuedAt = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> url = new CompletableFuture<>();
    final CompletableFuture<String> code = new CompletableFuture<>();
    final CompletableFuture<Void> locked = new CompletableFuture<>();
    final CompletableFuture<RunEnd> end = new CompletableFuture<>();
    volatile int prompts;
    private volatile Consumer<RunEnd> atEnd = e -> {};

    RecordingListener atEnd(Consumer<RunEnd> action) {
        atEnd = action;
        return this;
    }

    @Override
    public void queued(int position) {
        queuedAt.add(position);
    }

    @Override
    public void lockAcquired() {
        locked.complete(null);
    }

    @Override
    public void urlCaptured(String value) {
        urls.add(value);
        url.complete(value);
    }

    @Override
    public void codeCaptured(String value) {
        codes.add(value);
        code.complete(value);
    }

    @Override
    public void inputPrompted() {
        prompts++;
    }

    @Override
    public void output(String line) {
        lines.add(line);
    }

    @Override
    public void ended(RunEnd value) {
        atEnd.accept(value);
        end.complete(value);
    }

    String url() throws Exception {
        return url.get(60, TimeUnit.SECONDS);
    }

    /** Waits until some output line contains {@code text}. */
    void awaitLine(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines.stream().noneMatch(l -> l.contains(text))) {
            if (System.nanoTime() > deadline || end.isDone()) {
                throw new AssertionError("no line with '" + text + "'; output: " + lines);
            }
            Thread.sleep(20);
        }
    }

    void awaitPrompts(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (prompts < count) {
            if (System.nanoTime() > deadline || end.isDone()) {
                throw new AssertionError("no input prompt; output: " + lines);
            }
            Thread.sleep(20);
        }
    }
}
