package io.authrelay.cli.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands of the README, in order: every line of every {@code ```sh} block. A line may end with a
 * directive comment for the test that runs them: {@code # readme-test: skip REASON} (it cannot run here, e.g. it
 * needs github.com) or {@code # readme-test: exit N} (it is meant to fail). A block preceded by
 * {@code <!-- readme-test: skip REASON -->} is skipped whole. Each block is a shell of its own: its {@code export}s
 * end with it.
 */
record ReadmeScript(List<ReadmeScript.Line> lines) {
    /**
     * One command: its text, the README line it came from, the block it belongs to (each block is its own shell, so
     * a workspace block's exports do not reach the admin's next block), and what the test is told about it.
     */
    record Line(int number, int block, String command, String skipReason, int expectedExit) {
        boolean skipped() {
            return skipReason != null;
        }
    }

    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*readme-test:\\s*(skip|exit)\\s*(.*)$");
    private static final Pattern BLOCK_SKIP = Pattern.compile("<!--\\s*readme-test:\\s*skip\\s*(.*?)\\s*-->");

    static ReadmeScript parse(Path readme) throws IOException {
        List<String> text = Files.readAllLines(readme);
        List<Line> lines = new ArrayList<>();
        String blockSkip = null;
        boolean inSh = false;
        boolean inOther = false;
        int block = 0;
        for (int i = 0; i < text.size(); i++) {
            String raw = text.get(i);
            String trimmed = raw.strip();
            if (!inSh && !inOther) {
                Matcher skip = BLOCK_SKIP.matcher(trimmed);
                if (skip.find()) blockSkip = skip.group(1).isEmpty() ? "marked skip" : skip.group(1);
                if (trimmed.equals("```sh")) {
                    inSh = true;
                    block++;
                } else if (trimmed.startsWith("```")) inOther = true;
                continue;
            }
            if (trimmed.equals("```")) {
                inSh = false;
                inOther = false;
                blockSkip = null;
                continue;
            }
            if (inOther || trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            Matcher directive = DIRECTIVE.matcher(trimmed);
            String skip = blockSkip;
            int exit = 0;
            String command = trimmed;
            if (directive.find()) {
                command = trimmed.substring(0, directive.start()).strip();
                if (directive.group(1).equals("skip"))
                    skip = directive.group(2).isBlank() ? "marked skip" : directive.group(2);
                else exit = Integer.parseInt(directive.group(2).strip());
            }
            lines.add(new Line(i + 1, block, withoutComment(command), skip, exit));
        }
        return new ReadmeScript(List.copyOf(lines));
    }

    /** The command without its trailing {@code # comment}, so that a line ending in {@code &} is seen to. */
    private static String withoutComment(String command) {
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && i > 0 && Character.isWhitespace(command.charAt(i - 1))) {
                return command.substring(0, i).strip();
            }
        }
        return command;
    }
}
