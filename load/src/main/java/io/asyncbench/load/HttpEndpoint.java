package io.asyncbench.load;

import io.asyncbench.api.http.HttpResponses;

import java.util.Locale;

/** The two TechEmpower-style endpoints the http benchmark measures, with the reply each must get. */
public enum HttpEndpoint {
    PLAINTEXT("/plaintext", "text/plain", HttpResponses.plaintextBody()),
    JSON("/json", "application/json", HttpResponses.jsonBody());

    private final String path;
    private final String contentType;
    private final byte[] body;

    HttpEndpoint(String path, String contentType, byte[] body) {
        this.path = path;
        this.contentType = contentType;
        this.body = body;
    }

    public String path() {
        return path;
    }

    String contentType() {
        return contentType;
    }

    byte[] body() {
        return body.clone();
    }

    /** The lowercase name used as the JMH parameter value: {@code plaintext}, {@code json}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HttpEndpoint byId(String id) {
        for (HttpEndpoint endpoint : values()) {
            if (endpoint.id().equalsIgnoreCase(id.trim())) {
                return endpoint;
            }
        }
        throw new IllegalArgumentException("unknown endpoint '" + id + "'; known: plaintext, json");
    }
}
