package io.asyncbench.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The dependency picture in docs/ARCHITECTURE.md is the poms': each module's dependencies on the
 * project's other modules, with their scopes, are exactly what its line there says, and the two
 * rules the picture exists for hold (a strategy depends on api and at most netty-support, which
 * registers no strategy; load on api only). The enforcer checks the rules while building; this
 * test keeps the page from drifting.
 */
class LayoutTest {

    private static final String GROUP = "io.asyncbench";
    private static final String PREFIX = "asyncbench-";
    /** "    bench           ──> api, load, runtime: impl-*" */
    private static final Pattern LINE = Pattern.compile("^ {4}(\\S+)\\s+──>\\s+(.+)$");

    private static Path root;
    private static List<String> modules;

    @BeforeAll
    static void findTheReactor() throws Exception {
        root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs/ARCHITECTURE.md"))) {
            root = root.getParent();
            assertThat(root).as("the project's root, above %s", Path.of("").toAbsolutePath()).isNotNull();
        }
        modules = children(parse(root.resolve("pom.xml")), "modules", "module");
    }

    @Test
    void theArchitecturePageDrawsTheDependenciesThePomsDeclare() throws Exception {
        Map<String, TreeSet<String>> drawn = expand(drawnDependencies());
        Map<String, TreeSet<String>> declared = new TreeMap<>();
        for (String module : modules) {
            declared.put(module, declaredDependencies(module));
        }
        assertThat(drawn).as("docs/ARCHITECTURE.md, 'Dependencies point one way', against the poms")
                .isEqualTo(declared);
    }

    @Test
    void aStrategyModuleDependsOnTheContractAndTheNettyPlumbingOnly() throws Exception {
        for (String module : modules) {
            if (registersAStrategy(module)) {
                assertThat(declaredDependencies(module)).as("%s registers a strategy", module)
                        .allMatch(dependency -> dependency.equals("api") || dependency.equals("netty-support")
                                || dependency.startsWith("test: "));
            }
        }
    }

    @Test
    void theNettyPlumbingIsNoStrategyAndDependsOnTheContractOnly() throws Exception {
        assertThat(modules).contains("netty-support");
        assertThat(registersAStrategy("netty-support")).isFalse();
        assertThat(declaredDependencies("netty-support")).containsExactly("api");
    }

    private static boolean registersAStrategy(String module) {
        return Files.exists(root.resolve(module).resolve("src/main/resources/META-INF/services/io.asyncbench.api.Strategy"));
    }

    @Test
    void theLoadGeneratorDependsOnTheContractOnly() throws Exception {
        assertThat(declaredDependencies("load")).containsExactly("api");
    }

    /** "module -> 'dependency'" or "module -> 'scope: dependency'" from the page, impl-* not yet expanded. */
    private static Map<String, List<String>> drawnDependencies() throws IOException {
        String page = Files.readString(root.resolve("docs/ARCHITECTURE.md"));
        String section = page.substring(page.indexOf("## Dependencies point one way"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        Map<String, List<String>> drawn = new TreeMap<>();
        for (String line : section.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            List<String> dependencies = new ArrayList<>();
            String scope = "";
            for (String item : m.group(2).split(",\\s*")) {
                if (item.equals("(none)")) {
                    continue;
                }
                int colon = item.indexOf(": ");
                if (colon >= 0) {
                    scope = item.substring(0, colon + 2);
                    item = item.substring(colon + 2);
                }
                dependencies.add(scope + item.trim());
            }
            drawn.put(m.group(1), dependencies);
        }
        assertThat(drawn).as("the page draws some modules").isNotEmpty();
        return drawn;
    }

    /**
     * Replaces impl-* by every impl- module of the reactor, as a dependency, and as a line for each
     * the page does not give a line of its own.
     */
    private static Map<String, TreeSet<String>> expand(Map<String, List<String>> drawn) {
        List<String> strategies = modules.stream().filter(module -> module.startsWith("impl-")).toList();
        Map<String, TreeSet<String>> expanded = new TreeMap<>();
        drawn.forEach((module, dependencies) -> {
            TreeSet<String> each = new TreeSet<>();
            for (String dependency : dependencies) {
                if (dependency.endsWith("impl-*")) {
                    String scope = dependency.substring(0, dependency.length() - "impl-*".length());
                    strategies.forEach(strategy -> each.add(scope + strategy));
                } else {
                    each.add(dependency);
                }
            }
            if (module.equals("impl-*")) {
                strategies.stream().filter(strategy -> !drawn.containsKey(strategy))
                        .forEach(strategy -> expanded.put(strategy, new TreeSet<>(each)));
            } else {
                expanded.put(module, each);
            }
        });
        return expanded;
    }

    /** The project modules {@code module}'s pom depends on, as "name" or "scope: name". */
    private static TreeSet<String> declaredDependencies(String module) throws Exception {
        Element pom = parse(root.resolve(module).resolve("pom.xml"));
        TreeSet<String> dependencies = new TreeSet<>();
        NodeList sections = pom.getElementsByTagName("dependencies");
        for (int s = 0; s < sections.getLength(); s++) {
            Element section = (Element) sections.item(s);
            if (!section.getParentNode().equals(pom)) {
                continue; // a plugin's own dependencies, not the module's
            }
            NodeList list = section.getElementsByTagName("dependency");
            for (int i = 0; i < list.getLength(); i++) {
                Element dependency = (Element) list.item(i);
                String artifact = text(dependency, "artifactId");
                if (GROUP.equals(text(dependency, "groupId")) && artifact.startsWith(PREFIX)) {
                    String scope = text(dependency, "scope");
                    String name = artifact.substring(PREFIX.length());
                    dependencies.add(scope == null || scope.equals("compile") ? name : scope + ": " + name);
                }
            }
        }
        return dependencies;
    }

    private static Element parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    private static List<String> children(Element parent, String section, String child) {
        Element list = (Element) parent.getElementsByTagName(section).item(0);
        NodeList items = list.getElementsByTagName(child);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.getLength(); i++) {
            names.add(items.item(i).getTextContent().trim());
        }
        return names;
    }

    private static String text(Element element, String tag) {
        NodeList found = element.getElementsByTagName(tag);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
    }
}
