package io.authrelay.mcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A daemon that answers from a table, records what the tools asked, and can be down. */
final class FakeBroker implements BrokerApi {
    final Map<String, String> answers = new HashMap<>();
    final Map<String, ToolFailure> refusals = new HashMap<>();
    final List<String> requests = new ArrayList<>();
    boolean down;
    String autostartRefusal;

    FakeBroker answer(String request, String json) {
        answers.put(request, json);
        return this;
    }

    FakeBroker providers(String... nameAndType) {
        StringBuilder json = new StringBuilder("{\"providers\":[");
        for (int i = 0; i < nameAndType.length; i += 2) {
            if (i > 0) json.append(',');
            json.append("{\"name\":\"")
                    .append(nameAndType[i])
                    .append("\",\"type\":\"")
                    .append(nameAndType[i + 1])
                    .append("\"}");
        }
        return answer("GET /v1/providers", json.append("]}").toString());
    }

    @Override
    public JsonNode get(String path) {
        return call("GET " + path);
    }

    @Override
    public JsonNode post(String path, Object body) {
        requests.add("POST " + path + " " + BrokerConnection.JSON.writeValueAsString(body));
        return call("POST " + path);
    }

    private JsonNode call(String request) {
        if (down) throw new ToolFailure("no authrelay daemon serves the home");
        if (!request.startsWith("POST")) requests.add(request);
        if (refusals.containsKey(request)) throw refusals.get(request);
        String json = answers.get(request);
        if (json == null) throw new AssertionError("unexpected request " + request);
        return BrokerConnection.JSON.readTree(json);
    }

    @Override
    public JsonNode versionOrNull() {
        return down ? null : BrokerConnection.JSON.readTree("{\"version\":\"test\",\"api_version\":1}");
    }

    @Override
    public String where() {
        return "the daemon of /home/test/.authrelay";
    }

    @Override
    public String autostartRefusal() {
        return autostartRefusal;
    }
}
