package io.asyncbench.conformance;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of every live thread, virtual ones included: {@link Thread#getAllStackTraces()} omits
 * virtual threads, so this reads the JDK's JSON thread dump (JDK 21+), which lists the threads of
 * every thread container (executors, structured scopes) as well as the platform threads.
 */
final class LiveThreads {

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Names of live threads starting with {@code prefix}. */
    static List<String> named(String prefix) {
        return all().stream().filter(name -> name.startsWith(prefix)).toList();
    }

    static List<String> all() {
        try {
            Path dir = Files.createTempDirectory("asyncbench-threads");
            Path dump = dir.resolve("threads.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toAbsolutePath().toString(), ThreadDumpFormat.JSON);
                String json = Files.readString(dump);
                Matcher matcher = NAME.matcher(json);
                List<String> names = new java.util.ArrayList<>();
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
                return names;
            } finally {
                Files.deleteIfExists(dump);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not take a thread dump", e);
        }
    }

    private LiveThreads() {
    }
}
