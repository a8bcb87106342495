package io.asyncbench.virtualthreads;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * structured in a JVM started without {@code --enable-preview} (the command line, a JMH fork): the
 * strategy is made, listed and asked without an error; only its gateway needs the option, and
 * says so. The test JVM has the option, so this runs {@link #main} in a child JVM without it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PreviewOffTest {

    @Test
    void withoutPreviewTheStrategyIsReportedNotThrown() throws Exception {
        List<String> lines = runWithoutPreview();
        assertThat(lines).as("the child really runs without preview features")
                .anyMatch(line -> line.startsWith("preview class: java.lang.UnsupportedClassVersionError")
                        && line.contains("--enable-preview"));
        assertThat(lines).contains("discovered: [virtual-threads, structured, platform-threads]",
                "availability: available", "http: served");
        assertThat(lines).anyMatch(line -> line.startsWith("gateway: java.lang.IllegalStateException")
                && line.contains("started with --enable-preview")
                && line.contains("UnsupportedClassVersionError"));
    }

    @Test
    void theAnswerWhereTheOptionCannotHelpIsUnavailableWithTheReason() {
        UnsupportedClassVersionError jdk26 = new UnsupportedClassVersionError(
                "io/asyncbench/virtualthreads/StructuredFanOut (class file version 69.65535) was compiled with"
                        + " preview features that are unsupported. This version of the Java Runtime only"
                        + " recognizes preview features for class file version 70.65535");
        Availability elsewhere = PreviewClass.decide(PreviewClass.PREVIEW_MINOR, 69, 70, jdk26);
        assertThat(elsewhere.available()).isFalse();
        assertThat(elsewhere.reason()).startsWith("needs --enable-preview on JDK 25 (this is JDK ")
                .contains("class file version 69.65535");
        assertThat(PreviewClass.decide(PreviewClass.PREVIEW_MINOR, 69, 69, new UnsupportedClassVersionError("x")))
                .as("JDK 25 without the option: its server JVM gets it").isEqualTo(Availability.availableHere());
        assertThat(PreviewClass.decide(PreviewClass.PREVIEW_MINOR, 69, 69, null)).isEqualTo(Availability.availableHere());
        Availability notBuilt = new PreviewClass("io.asyncbench.virtualthreads.NoSuchClass").availability();
        assertThat(notBuilt.available()).isFalse();
        assertThat(notBuilt.reason()).contains("not on the class path");
    }

    @Test
    void thisTestJvmHasPreviewAndLoadsTheScope() {
        assertThat(new StructuredStrategy().availability()).isEqualTo(Availability.availableHere());
        try (FanOut fanOut = new StructuredStrategy().fanOut()) {
            assertThat(fanOut.getClass().getSimpleName()).isEqualTo("StructuredFanOut");
        }
    }

    private static List<String> runWithoutPreview() throws IOException, InterruptedException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                PreviewOffTest.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(out).isZero();
            return out.lines().toList();
        } finally {
            child.destroyForcibly();
        }
    }

    /** The child: what a JVM without --enable-preview sees of structured. */
    public static void main(String[] args) throws Exception {
        try {
            Class.forName("io.asyncbench.virtualthreads.StructuredFanOut");
            System.out.println("preview class: loaded");
        } catch (LinkageError e) {
            System.out.println("preview class: " + e);
        }
        System.out.println("discovered: " + Strategies.ids(Strategies.all().stream()
                .filter(BlockingStrategy.class::isInstance).toList()));
        StructuredStrategy structured = (StructuredStrategy) Strategies.byId(StructuredStrategy.ID);
        System.out.println("availability: " + structured.availability());
        try (RunningServer http = structured.start(ServerSpec.loopback(Workload.HTTP))) {
            System.out.println(http.address() != null ? "http: served" : "http: no address");
        }
        try (RunningServer gateway = structured.start(ServerSpec.loopback(Workload.GATEWAY,
                List.of(new InetSocketAddress("127.0.0.1", 9))))) {
            System.out.println("gateway: started");
        } catch (RuntimeException e) {
            System.out.println("gateway: " + e);
        }
    }
}
