package io.authrelay.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/** The process environment a command runs in, passed explicitly so commands can be run in-process by tests. */
record CliContext(Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err) {
    Api api() {
        return new Api(env);
    }
}
