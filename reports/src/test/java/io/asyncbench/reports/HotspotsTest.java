package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Adding up JFR samples, on made-up samples with known answers. */
class HotspotsTest {

    @Test
    void selfTimeIsEachMethodsShareOfTheExecutionSamples() {
        Hotspots.Builder b = new Hotspots.Builder();
        for (int i = 0; i < 6; i++) {
            b.executionSample("io.x.Loop.run");
        }
        for (int i = 0; i < 3; i++) {
            b.executionSample("sun.nio.ch.SocketDispatcher.read0");
        }
        b.executionSample("io.x.Parser.parse");
        Hotspots h = b.build();

        assertThat(h.samples()).isEqualTo(10);
        assertThat(h.topMethods(2)).extracting(Hotspots.Method::method)
                .containsExactly("io.x.Loop.run", "sun.nio.ch.SocketDispatcher.read0");
        assertThat(h.topMethods(10)).hasSize(3);
        assertThat(h.topMethods(1).get(0).share()).isCloseTo(0.6, within(1e-12));
        assertThat(h.topMethods(3).get(2).share()).isCloseTo(0.1, within(1e-12));
        assertThat(h.topMethods(1).get(0).shortMethod()).isEqualTo("Loop.run");
    }

    @Test
    void cpuTimeSamplesAreTheSelfTimeWhenARecordingHasAnyForTheySeeSystemCallsToo() {
        Hotspots.Builder b = new Hotspots.Builder().executionSample("io.x.Loop.run").executionSample("io.x.Loop.run");
        Hotspots executionOnly = b.build();
        assertThat(executionOnly.cpuTime()).isFalse();
        assertThat(executionOnly.sampleKind()).isEqualTo("execution samples");

        b.cpuTimeSample("sun.nio.ch.SocketDispatcher.read0").cpuTimeSample("sun.nio.ch.SocketDispatcher.read0")
                .cpuTimeSample("io.x.Loop.run").cpuTimeSample(Hotspots.NO_STACK);
        Hotspots h = b.build();

        assertThat(h.cpuTime()).isTrue();
        assertThat(h.sampleKind()).isEqualTo("CPU-time samples");
        assertThat(h.samples()).as("the execution samples are not added to them").isEqualTo(4);
        assertThat(h.topMethods(3)).extracting(Hotspots.Method::method)
                .containsExactly("sun.nio.ch.SocketDispatcher.read0", Hotspots.NO_STACK, "io.x.Loop.run");
        assertThat(h.topMethods(1).get(0).share()).isCloseTo(0.5, within(1e-12));
        Hotspots.Builder other = new Hotspots.Builder().executionSample("io.x.Other.run");
        assertThat(other.addAll(b).build().samples()).as("adding recordings keeps both kinds apart").isEqualTo(4);
    }

    @Test
    void tiesAreOrderedByNameSoTheTableIsStable() {
        Hotspots h = new Hotspots.Builder().executionSample("b.B.m").executionSample("a.A.m").build();
        assertThat(h.topMethods(2)).extracting(Hotspots.Method::method).containsExactly("a.A.m", "b.B.m");
    }

    @Test
    void allocationSitesAreWeightedByTheBytesEachSampleStandsFor() {
        Hotspots h = new Hotspots.Builder()
                .allocationSample("io.x.Conn.read", "byte[]", 3_000)
                .allocationSample("io.x.Conn.read", "byte[]", 1_000)
                .allocationSample("io.x.Conn.read", "java.nio.HeapByteBuffer", 1_000)
                .allocationSample("io.x.Conn.write", "byte[]", 5_000)
                .build();

        assertThat(h.allocatedBytes()).isEqualTo(10_000);
        assertThat(h.topAllocations(3)).extracting(Hotspots.Allocation::site, Hotspots.Allocation::objectClass,
                        Hotspots.Allocation::bytes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("io.x.Conn.write", "byte[]", 5_000L),
                        org.assertj.core.groups.Tuple.tuple("io.x.Conn.read", "byte[]", 4_000L),
                        org.assertj.core.groups.Tuple.tuple("io.x.Conn.read", "java.nio.HeapByteBuffer", 1_000L));
        assertThat(h.topAllocations(1).get(0).share()).isCloseTo(0.5, within(1e-12));
        assertThatThrownBy(() -> new Hotspots.Builder().allocationSample("a.A.m", "byte[]", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSiteIsTheFirstFrameOutsideTheJdk() {
        List<Hotspots.Frame> stack = List.of(
                new Hotspots.Frame("java.nio.ByteBuffer", "allocate"),
                new Hotspots.Frame("sun.nio.ch.Util", "getTemporaryDirectBuffer"),
                new Hotspots.Frame("io.asyncbench.callbacks.CallbacksConnection", "read"),
                new Hotspots.Frame("io.asyncbench.callbacks.CallbacksServer", "accept"));
        assertThat(Hotspots.site(stack)).isEqualTo("io.asyncbench.callbacks.CallbacksConnection.read");
        assertThat(Hotspots.site(List.of(new Hotspots.Frame("jdk.internal.vm.Continuation", "run"),
                new Hotspots.Frame("java.lang.VirtualThread", "run"))))
                .as("a stack of the JDK only: its top frame").isEqualTo("jdk.internal.vm.Continuation.run");
        assertThat(Hotspots.site(List.of())).isEqualTo("(no stack)");
        assertThat(Hotspots.isJdk("com.sun.crypto.Foo")).isTrue();
        assertThat(Hotspots.isJdk("io.netty.buffer.PooledByteBufAllocator")).isFalse();
    }

    @Test
    void shortNamesDropThePackageAndAHiddenClassesAddress() {
        assertThat(Hotspots.shortName("io.asyncbench.selector.SelectorEventLoop.runOnce")).isEqualTo("SelectorEventLoop.runOnce");
        assertThat(Hotspots.shortName("io.x.Outer$Inner.call")).isEqualTo("Outer$Inner.call");
        assertThat(Hotspots.shortName("io.x.Foo$$Lambda/0x00007f0012345678.apply")).isEqualTo("Foo$$Lambda.apply");
        assertThat(Hotspots.shortName("io.x.Foo$$Lambda.0x000000000d095ea0.get")).as("as JFR names it").isEqualTo("Foo$$Lambda.get");
        assertThat(Hotspots.shortName("(no stack)")).isEqualTo("(no stack)");
        assertThat(Hotspots.javaName("io.x.Foo$$Lambda.0x000000000d095c50")).isEqualTo("io.x.Foo$$Lambda");
    }

    @Test
    void arraysAreNamedAsJavaSourceNamesThem() {
        assertThat(Hotspots.javaName("[B")).isEqualTo("byte[]");
        assertThat(Hotspots.javaName("[[J")).isEqualTo("long[][]");
        assertThat(Hotspots.javaName("[Ljava.lang.Object;")).isEqualTo("java.lang.Object[]");
        assertThat(Hotspots.javaName("java.nio.HeapByteBuffer")).isEqualTo("java.nio.HeapByteBuffer");
    }

    @Test
    void recordingsOfOneSettingAddUp() {
        Hotspots.Builder first = new Hotspots.Builder().executionSample("a.A.m").allocationSample("a.A.m", "byte[]", 100);
        Hotspots.Builder second = new Hotspots.Builder().executionSample("a.A.m").executionSample("b.B.m")
                .allocationSample("a.A.m", "byte[]", 300);
        Hotspots h = first.addAll(second).build();
        assertThat(h.samples()).isEqualTo(3);
        assertThat(h.topMethods(1).get(0).samples()).isEqualTo(2);
        assertThat(h.allocatedBytes()).isEqualTo(400);
        assertThat(h.topAllocations(1).get(0).bytes()).isEqualTo(400);
    }
}
