package io.asyncbench.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSyntaxTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/plaintext, PLAINTEXT",
        "/plaintext?x=1, PLAINTEXT",
        "/plain%74ext, PLAINTEXT",
        "/%70%6C%61%69%6E%74%65%78%74, PLAINTEXT",
        "/json, JSON",
        "/jso, UNKNOWN",
        "/jsonx, UNKNOWN",
        "/json%2F, UNKNOWN",
        "/, UNKNOWN",
        "http://h/json, JSON",
        "HTTP://h:1/json?x, JSON",
        "http://[::1]:8080/delay?ms=1, DELAY",
        "http://h, UNKNOWN",
        "http://h?x=1, UNKNOWN",
        "http://h%41/json, JSON",
    })
    void namesTheEndpointOfATarget(String target, Endpoint endpoint) throws HttpException {
        assertThat(HttpSyntax.endpoint(target)).isEqualTo(endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "json", "?x", "h:80", "ftp://h/json", "https://h/json", "http:///json",
        "http://u@h/json", "http://h{/json", "/json%", "/json%4", "/json%4g", "/json?x=%zz", "/a b", "/caf\u00e9",
        "/\u007f"})
    void refusesATargetWith400(String target) {
        assertThatThrownBy(() -> HttpSyntax.endpoint(target)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/delay?ms=5 | 5",
        "/delay?ms=%35 | 5",
        "/delay?%6D%73=12 | 12",
        "/delay?ms=1&ms=2 | 2",
        "/delay?x=1&ms=3&y | 3",
        "/delay?&&ms=4&& | 4",
        "/delay?ms=000000007 | 7",
        "http://h/delay?ms=60000 | 60000",
    })
    void readsAQueryParameter(String target, int value) throws HttpException {
        assertThat(HttpSyntax.queryParameter(target, "ms", 0, 60_000)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/delay", "/delay?", "/delay?ms", "/delay?ms=", "/delay?ms=+5", "/delay?ms=%2B5",
        "/delay?ms=5;x=1", "/delay?ms=1e3", "/delay?ms=0000000001", "/delay?ms=60001", "/delay?ms=-1",
        "/delay?mss=5", "/delay?xms=5", "/delay?ms=5&ms=x"})
    void refusesAMissingOrMalformedParameterWith400(String target) {
        assertThatThrownBy(() -> HttpSyntax.queryParameter(target, "ms", 0, 60_000))
                .isInstanceOfSatisfying(HttpException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "h", "127.0.0.1:8080", "[::1]:80", "a-b.c_d~e", "%41bc", "sub!$&'()*+,;=x"})
    void acceptsHostValues(String host) {
        assertThat(HttpSyntax.isValidHost(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "u@h", "h?x", "h#x", "%4", "%zz", "caf\u00e9", "a\tb"})
    void refusesHostValues(String host) {
        assertThat(HttpSyntax.isValidHost(host)).isFalse();
    }
}
