package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report names no strategy: order, colours, lines, the peer and the references come from the
 * facts metadata.json carries; an older folder's strategies take the caller's facts, or none.
 */
class LineupTest {

    @TempDir
    Path tmp;

    @Test
    void theDeclaredFactsDecideOrderColourLineAndRoles() {
        Lineup lineup = Lineup.of(List.of(
                new Lineup.Entry("zeta", 5, "#123456", "impl-zeta", true, "peer", false),
                new Lineup.Entry("alpha", 50, null, null, false, "style", false),
                new Lineup.Entry("ref", 90, "#654321", "references", false, "limit", true)));
        assertThat(List.of("unknown", "ref", "alpha", "zeta").stream().sorted(lineup.order()))
                .containsExactly("zeta", "alpha", "ref", "unknown");
        StrategyStyles styles = new StrategyStyles(List.of("alpha", "zeta", "ref", "unknown"), lineup);
        assertThat(styles.color("zeta")).isEqualTo(new Color(0x123456));
        assertThat(styles.color("ref")).isEqualTo(new Color(0x654321));
        assertThat(styles.color("alpha")).as("no colour declared: a spare one, distinct from the others")
                .isNotIn(styles.color("unknown"), styles.color("zeta"), styles.color("ref"));
        assertThat(styles.label("ref")).isEqualTo("ref (reference)");
        assertThat(lineup.dashed("zeta")).isTrue();
        assertThat(lineup.peer()).isEqualTo("zeta");
        assertThat(lineup.limit()).isEqualTo("ref");
        assertThat(lineup.model()).isNull();
        assertThat(lineup.strategiesOf("impl-zeta")).containsExactly("zeta");
        assertThat(lineup.strategiesOf("impl-quic")).as("a module nobody declares").containsExactly("quic");
    }

    @Test
    void anOlderFolderTakesTheCallersFactsAndRendersAsANewOneDoes() throws Exception {
        Path withFacts = SyntheticResults.realistic(3).writeTo(tmp.resolve("new"));
        Path older = SyntheticResults.realistic(3).withoutFacts().writeTo(tmp.resolve("old"));
        ReportGenerator.generate(withFacts, Optional.empty(), tmp.resolve("new-report"));
        ReportGenerator.generate(older, Optional.empty(), tmp.resolve("old-report"), Lineups.ENTRIES);

        for (String file : List.of(ReportGenerator.REPORT_MD, ReportGenerator.SUMMARY_CSV)) {
            assertThat(Files.readString(tmp.resolve("old-report").resolve(file))).as(file)
                    .isEqualTo(Files.readString(tmp.resolve("new-report").resolve(file)));
        }
        assertThat(Files.readString(tmp.resolve("new-report").resolve(ReportGenerator.INDEX_HTML)))
                .contains("--c:#0072b2\">netty-nio").contains("× netty-nio");
    }

    @Test
    void anOlderFolderAloneStillGetsAColourAndAPlaceForEveryStrategy() throws Exception {
        Path older = SyntheticResults.realistic(3).withoutFacts().writeTo(tmp.resolve("old"));
        ReportGenerator.generate(older, Optional.empty(), tmp.resolve("report"));

        String html = Files.readString(tmp.resolve("report").resolve(ReportGenerator.INDEX_HTML));
        assertThat(html).as("a spare colour, not the one netty-nio declares").doesNotContain("--c:#0072b2")
                .contains("--c:#000000\">callbacks").contains("netty-nio");
        assertThat(Files.readString(tmp.resolve("report").resolve(ReportGenerator.SUMMARY_CSV)))
                .as("no peer declared").contains("ratio_to_peer").doesNotContain("ratio_to_netty_nio");
    }

    @Test
    void aColourThatIsNotOneIsAClearError() throws Exception {
        Path results = SyntheticResults.realistic(3).writeTo(tmp.resolve("results"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode metadata = (ObjectNode) json.readTree(results.resolve("metadata.json").toFile());
        ((ObjectNode) metadata.withArray("strategies").get(0).get("facts")).put("colour", "orange");
        json.writeValue(results.resolve("metadata.json").toFile(), metadata);

        ReportException e = catchThrowableOfType(ReportException.class,
                () -> ReportGenerator.generate(results, Optional.empty(), tmp.resolve("report")));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("metadata.json").contains("strategies[0].facts").contains("#rrggbb");
        assertThat(tmp.resolve("report").resolve(ReportGenerator.INDEX_HTML)).doesNotExist();
    }
}
