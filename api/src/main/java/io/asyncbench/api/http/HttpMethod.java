package io.asyncbench.api.http;

/** Request methods: those this subset serves, those it knows but refuses with 405. */
public enum HttpMethod {
    GET, POST, HEAD, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT
}
