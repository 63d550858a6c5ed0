package io.authrelay.cli;

import io.authrelay.server.http.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** Prints command results: pretty JSON with --json, aligned columns otherwise. */
final class Output {
    /** A column of a table of JSON items: its header, and what it shows of each item. */
    record Column(String header, Function<JsonNode, String> cell) {
        /** Shows the item's field as {@link Output#text} does. */
        static Column field(String header, String field) {
            return new Column(header, item -> text(item, field));
        }
    }

    private Output() {}

    static void json(PrintWriter out, Object value) {
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        out.flush();
    }

    /** The answer as JSON with --json, else one line for the person. */
    static void result(CliContext context, boolean json, Object answer, String line) {
        if (json) {
            json(context.out(), answer);
            return;
        }
        context.out().println(line);
        context.out().flush();
    }

    /** One row per element of {@code items}, in aligned columns under a header line. */
    static void table(PrintWriter out, JsonNode items, List<Column> columns) {
        List<String> headers = columns.stream().map(Column::header).toList();
        List<List<String>> rows = items.valueStream()
                .map(item -> columns.stream().map(c -> c.cell().apply(item)).toList())
                .toList();
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = headers.get(i).length();
        for (List<String> row : rows)
            for (int i = 0; i < widths.length; i++)
                widths[i] = Math.max(widths[i], row.get(i).length());
        printRow(out, headers, widths);
        rows.forEach(row -> printRow(out, row, widths));
        out.flush();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asString();
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
        }
        out.println(line.toString().stripTrailing());
    }
}
