package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .hgrm reader against HdrHistogram's own output, and the side-by-side sources. */
class HgrmAndSourcesTest {

    @TempDir
    Path tmp;

    @Test
    void readsWhatHdrHistogramWrites() throws Exception {
        Histogram h = new Histogram(3_600_000_000L, 3);
        Random r = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            h.recordValue(50 + (long) (Math.abs(r.nextGaussian()) * 400));
        }
        var bytes = new ByteArrayOutputStream();
        h.outputPercentileDistribution(new PrintStream(bytes, true, StandardCharsets.UTF_8), 5, 1.0);
        Path file = tmp.resolve("run.hgrm");
        Files.write(file, bytes.toByteArray());

        LatencyRun.Histogram parsed = HgrmParser.parse(file);

        assertThat(parsed.totalCount()).isEqualTo(100_000);
        assertThat(parsed.max()).isCloseTo(h.getMaxValue(), within(h.getMaxValue() * 0.001 + 1));
        assertThat(parsed.mean()).isCloseTo(h.getMean(), within(0.01));
        for (double p : new double[] {0.5, 0.9, 0.99, 0.999}) {
            assertThat(parsed.valueAt(p)).as("p" + p)
                    .isCloseTo(h.getValueAtPercentile(p * 100), within(h.getValueAtPercentile(p * 100) * 0.01 + 1));
        }
        assertThat(parsed.points().get(parsed.points().size() - 1).percentile()).isEqualTo(1.0);
    }

    @Test
    void readsHdrHistogramsCsvFormatToo() throws Exception {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i);
        }
        var bytes = new ByteArrayOutputStream();
        h.outputPercentileDistribution(new PrintStream(bytes, true, StandardCharsets.UTF_8), 5, 1.0, true);
        Path file = tmp.resolve("run.hgrm");
        Files.write(file, bytes.toByteArray());

        assertThat(HgrmParser.parse(file).valueAt(0.5)).isCloseTo(500, within(2.0));
    }

    @Test
    void countsLinesOfCodeWithoutBlankLinesAndComments() {
        String src = """
                package x;

                /**
                 * Javadoc, not code.
                 */
                final class A { // trailing comment: the line counts
                    // a comment line
                    String s = "// not a comment";
                    String t = \"""
                        text block /* not a comment */
                        \""";
                    /* block */ int i; /* another
                       still a comment */
                }
                """;
        // package, class, s, t (3 lines), int i, closing brace
        assertThat(JavaSource.linesOfCode(src)).isEqualTo(8);
    }

    @Test
    void highlightingEscapesTheSource() {
        String html = JavaSource.highlight("if (a < b && c > d) { s = \"<script>\"; } // <b>");
        assertThat(html).doesNotContain("<script>", "<b>")
                .contains("&lt;script&gt;", "&amp;&amp;", "<span class=\"kw\">if</span>", "<span class=\"cm\">");
    }

    @Test
    void highlightsKotlinWithItsOwnKeywords() {
        String kotlin = JavaSource.highlight("suspend fun f(input: Int) = when (input) { else -> 1 }", "X.kt");
        assertThat(kotlin).contains("<span class=\"kw\">suspend</span>", "<span class=\"kw\">fun</span>",
                "<span class=\"kw\">when</span>");
        // A Java field named "in" is no keyword there.
        assertThat(JavaSource.highlight("ByteBuffer in;", "X.java")).doesNotContain("<span class=\"kw\">in</span>");
    }

    @Test
    void mapsFilesToWorkloadsAndModulesToStrategies() {
        assertThat(SourceCatalog.workloadOf("NettyEchoServer.java")).isEqualTo("echo");
        assertThat(SourceCatalog.workloadOf("BlockingHttpServer.java")).isEqualTo("http");
        assertThat(SourceCatalog.workloadOf("SelectorGatewayServer.java")).isEqualTo("gateway");
        assertThat(SourceCatalog.workloadOf("CallbacksProxyServer.java")).isEqualTo("proxy");
        assertThat(SourceCatalog.workloadOf("FuturesTimers.java")).isEqualTo("timers");
        assertThat(SourceCatalog.workloadOf("CallbacksServer.java")).isEqualTo(SourceCatalog.PLUMBING);
        assertThat(SourceCatalog.workloadOf("CallbacksConnection.java")).isNull();
        assertThat(SourceCatalog.workloadOf("CoroutinesGatewayServer.kt")).isEqualTo("gateway");
        assertThat(SourceCatalog.workloadOf("CoroutinesTimers.kt")).isEqualTo("timers");
        assertThat(SourceCatalog.workloadOf("CoroutinesServer.kt")).isEqualTo(SourceCatalog.PLUMBING);
        assertThat(Lineups.SHIPPED.strategiesOf("impl-netty")).containsExactly("netty-nio", "netty-epoll");
        assertThat(Lineups.SHIPPED.strategiesOf("impl-virtualthreads")).containsExactly("virtual-threads", "platform-threads");
        assertThat(Lineups.SHIPPED.strategiesOf("impl-quic")).containsExactly("quic");
    }

    @Test
    void theBuildBundlesEachStrategysEchoServer() {
        SourceCatalog catalog = SourceCatalog.load(Lineups.SHIPPED);
        assertThat(catalog.workloads()).contains("echo");
        assertThat(catalog.forWorkload("echo").keySet()).contains("impl-callbacks", "impl-selector", "impl-netty",
                "impl-virtualthreads");
        assertThat(catalog.linesOfCode().get("echo").values()).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void theBuildBundlesKotlinSourcesToo() {
        SourceCatalog catalog = SourceCatalog.load(Lineups.SHIPPED);
        assertThat(catalog.forWorkload("gateway").get("impl-kotlin-coroutines"))
                .extracting(SourceCatalog.SourceFile::fileName, SourceCatalog.SourceFile::language)
                .containsExactly(tuple("CoroutinesGatewayServer.kt", "kotlin"));
        assertThat(catalog.forWorkload("timers")).containsKey("impl-kotlin-coroutines");
    }
}
