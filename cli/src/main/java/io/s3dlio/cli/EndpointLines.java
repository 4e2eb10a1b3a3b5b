package io.s3dlio.cli;

import io.s3dlio.api.EndpointStatistics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Per-endpoint counts in summaries: a JSON list, or one line per endpoint for people. */
final class EndpointLines {
    private EndpointLines() {}

    static List<Map<String, Object>> json(List<EndpointStatistics.Endpoint> endpoints) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (EndpointStatistics.Endpoint endpoint : endpoints) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("endpoint", endpoint.endpoint());
            fields.put("requests", endpoint.requests());
            fields.put("bytes", endpoint.bytes());
            fields.put("errors", endpoint.errors());
            fields.put("retriedElsewhere", endpoint.retriedElsewhere());
            fields.put("setAside", endpoint.setAside());
            list.add(fields);
        }
        return list;
    }

    static void print(List<EndpointStatistics.Endpoint> endpoints, PrintStream err) {
        for (EndpointStatistics.Endpoint endpoint : endpoints) {
            err.println(String.format(Locale.ROOT, "  endpoint %s: %d requests, %d bytes, %d errors (%d retried elsewhere), set aside %d times",
                    endpoint.endpoint(), endpoint.requests(), endpoint.bytes(), endpoint.errors(),
                    endpoint.retriedElsewhere(), endpoint.setAside()));
        }
    }
}
