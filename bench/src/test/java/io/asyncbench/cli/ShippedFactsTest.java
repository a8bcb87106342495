package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyFacts;
import io.asyncbench.external.References;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The facts the shipped strategies and references declare are true, and tell them apart. */
class ShippedFactsTest {

    /** The strategies of the impl-* modules (the test doubles of this module left out). */
    private static List<Strategy> shipped() {
        return Strategies.discovered(ShippedFactsTest.class.getClassLoader()).stream()
                .filter(s -> !s.getClass().getName().startsWith("io.asyncbench.cli.")).toList();
    }

    @Test
    void eachDeclaresItsPlaceItsOwnColourAndTheModuleThatHoldsItsCode() {
        Path project = References.home().orElseThrow();
        Set<Integer> orders = new HashSet<>();
        Set<String> colours = new HashSet<>();
        for (Strategy s : shipped()) {
            StrategyFacts f = s.facts();
            assertThat(f.order()).as(s.id()).isLessThan(StrategyFacts.UNDECLARED.order());
            assertThat(orders.add(f.order())).as(s.id() + ": its own place").isTrue();
            assertThat(colours.add(f.colour().toLowerCase())).as(s.id() + ": its own colour").isTrue();
            String source = "src/main/java/" + s.getClass().getName().replace('.', '/') + ".java";
            assertThat(project.resolve(f.module()).resolve(source)).as(s.id() + "'s module holds its class").isRegularFile();
        }
        References.allFacts().forEach((name, f) -> {
            assertThat(orders.add(f.order())).as(name).isTrue();
            assertThat(colours.add(f.colour().toLowerCase())).as(name).isTrue();
            assertThat(f.mayServeBackends()).as(name + " runs outside the JVM: never a backend").isFalse();
            assertThat(Files.isDirectory(project.resolve(f.module()).resolve(name.equals("c-epoll") ? "c-epoll" : "asyncio")))
                    .as(name).isTrue();
        });
        assertThat(References.allFacts().values()).as("the references come after every JVM style")
                .allSatisfy(r -> assertThat(shipped()).allSatisfy(s -> assertThat(s.facts().order()).isLessThan(r.order())));
    }

    @Test
    void oneStrategyIsThePeerAndTheReferencesNameTheModelAndTheLimit() {
        List<String> roles = new ArrayList<>();
        shipped().forEach(s -> roles.add(s.facts().role().name()));
        References.allFacts().values().forEach(f -> roles.add(f.role().name()));
        assertThat(roles).containsOnlyOnce("PEER", "MODEL", "LIMIT");
        assertThat(References.facts(References.LIMIT).role()).isEqualTo(StrategyFacts.Role.LIMIT);
    }

    @Test
    void theBackendsAreTheFastestAvailableFirst() {
        List<String> candidates = Strategies.ids(Strategies.backendCandidates(shipped()));
        assertThat(candidates).startsWith("netty-epoll", "netty-nio", "selector");
        // structured declares no rank: its backends would be virtual-threads' http code, which is
        // already a candidate, and its server needs --enable-preview. vertx declares none either:
        // a style measured beside the others, not a backend.
        assertThat(candidates).as("every shipped strategy but structured and vertx can serve backends")
                .containsExactlyInAnyOrderElementsOf(shipped().stream().map(Strategy::id)
                        .filter(id -> !id.equals("structured") && !id.equals("vertx")).toList());
    }
}
