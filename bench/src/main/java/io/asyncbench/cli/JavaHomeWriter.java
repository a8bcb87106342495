package io.asyncbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build helper, run by bench/pom.xml at {@code package} on the JDK the toolchain selected: writes
 * that JVM's {@code java.home} to the file named by the first argument, so that the
 * {@code ./asyncbench} launcher runs the CLI on the same JDK without anybody setting JAVA_HOME.
 */
public final class JavaHomeWriter {

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: JavaHomeWriter <output file>");
        }
        Files.writeString(Path.of(args[0]), System.getProperty("java.home") + System.lineSeparator());
    }

    private JavaHomeWriter() {
    }
}
