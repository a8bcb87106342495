package io.asyncbench.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.openjdk.jmh.infra.BenchmarkParams;

/** The JSON files a benchmark fork writes beside JMH's results: who wrote them, and written whole or not at all. */
final class BenchmarkJsonFiles {

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** A document that starts with the benchmark, its mode and its parameters. */
    static ObjectNode identity(BenchmarkParams benchmark) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("benchmark", benchmark.getBenchmark());
        doc.put("mode", benchmark.getMode().shortLabel());
        ObjectNode params = doc.putObject("params");
        for (String key : benchmark.getParamsKeys()) {
            params.put(key, benchmark.getParam(key));
        }
        return doc;
    }

    /** Writes {@code doc} to {@code file} through a temporary file and an atomic move: a reader never sees half of it. */
    static void writeAtomically(Path file, ObjectNode doc) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, JSON.writeValueAsString(doc) + "\n");
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private BenchmarkJsonFiles() {
    }
}
