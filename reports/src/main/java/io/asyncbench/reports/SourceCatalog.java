package io.asyncbench.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each strategy's workload files, copied from the implementation modules into this jar at build
 * time (see the antrun step in reports/pom.xml), with their lines of code. One file per workload per
 * module, named {@code <Prefix><Workload>Server.java} (or {@code .kt}, for a module written in
 * Kotlin); {@code <Prefix>Server.java} is the plumbing
 * (accept loop, lifecycle) every workload of that module shares. Which strategies a module holds, and
 * their order, is what the strategies declare ({@link Lineup}: their {@code module}).
 */
final class SourceCatalog {

    static final String RESOURCE_DIR = "/asyncbench-sources/";
    static final String PLUMBING = "server";

    record SourceFile(String path, String module, String fileName, String workload, List<String> strategies,
                      String text, int linesOfCode) {

        /** The language the file is written in, as a Markdown code fence names it. */
        String language() {
            return JavaSource.isKotlin(fileName) ? "kotlin" : "java";
        }
    }

    private final List<SourceFile> files;
    private final Lineup lineup;

    SourceCatalog(List<SourceFile> files, Lineup lineup) {
        this.files = List.copyOf(files);
        this.lineup = lineup;
    }

    static SourceCatalog load(Lineup lineup) {
        String index = resource("index.txt");
        if (index == null) {
            return new SourceCatalog(List.of(), lineup);
        }
        List<SourceFile> out = new ArrayList<>();
        for (String line : index.split("\\R")) {
            String path = line.strip();
            if (path.isEmpty() || !(path.endsWith(".java") || JavaSource.isKotlin(path))) {
                continue;
            }
            String text = resource(path);
            if (text == null) {
                continue;
            }
            String module = path.substring(0, path.indexOf('/'));
            String fileName = path.substring(path.lastIndexOf('/') + 1);
            String workload = workloadOf(fileName);
            if (workload != null) {
                out.add(new SourceFile(path, module, fileName, workload, lineup.strategiesOf(module), text,
                        JavaSource.linesOfCode(text)));
            }
        }
        out.sort(Comparator.comparing((SourceFile f) -> f.strategies().get(0), lineup.order())
                .thenComparing(SourceFile::fileName));
        return new SourceCatalog(out, lineup);
    }

    private static String resource(String path) {
        try (InputStream in = SourceCatalog.class.getResourceAsStream(RESOURCE_DIR + path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "NettyEchoServer.java" -> echo, "CallbacksTimers.java" -> timers, "SelectorServer.java" -> server (.kt alike). */
    static String workloadOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String name = dot < 0 ? fileName : fileName.substring(0, dot);
        if (name.contains("Timers")) {
            return "timers";
        }
        if (!name.endsWith("Server")) {
            return null;
        }
        String[] words = name.substring(0, name.length() - "Server".length()).split("(?=\\p{Lu})");
        if (words.length < 2) {
            return PLUMBING;
        }
        return words[words.length - 1].toLowerCase(Locale.ROOT);
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    /** Workloads with sources, in report order, the shared plumbing last. */
    List<String> workloads() {
        var order = Comparator.comparing((String w) -> w.equals(PLUMBING)).thenComparing(KnownWorkload.ORDER);
        return files.stream().map(SourceFile::workload).distinct().sorted(order).toList();
    }

    /** Modules in strategy order. */
    List<String> modules() {
        return files.stream().map(SourceFile::module).distinct().toList();
    }

    /** impl-netty -> [netty-nio, netty-epoll]; a module no strategy declares -> its own name. */
    List<String> strategies(String module) {
        return lineup.strategiesOf(module);
    }

    /** A workload's files, by module (in strategy order). */
    Map<String, List<SourceFile>> forWorkload(String workload) {
        Map<String, List<SourceFile>> out = new LinkedHashMap<>();
        files.stream().filter(f -> f.workload().equals(workload))
                .forEach(f -> out.computeIfAbsent(f.module(), k -> new ArrayList<>()).add(f));
        return out;
    }

    /** Lines of code, workload -> module -> total. */
    Map<String, Map<String, Integer>> linesOfCode() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (String w : workloads()) {
            Map<String, Integer> row = new TreeMap<>(Comparator.comparing(
                    (String m) -> strategies(m).get(0), lineup.order()));
            forWorkload(w).forEach((m, fs) -> row.put(m, fs.stream().mapToInt(SourceFile::linesOfCode).sum()));
            out.put(w, row);
        }
        return out;
    }

    static String label(String workload) {
        return workload.equals(PLUMBING) ? "shared server plumbing" : workload;
    }
}
