package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PlacementTest {

    @Test
    void onTwoCoresTheLoadGeneratorGetsCpu0AndTheServerCpu1() {
        Placement p = Placement.auto(true, List.of(0, 1), true);
        assertThat(p.loadCpus()).isEqualTo("0");
        assertThat(p.serverCpus()).isEqualTo("1");
        assertThat(p.serverThreads()).isEqualTo(1);
        assertThat(p.loadThreads()).isEqualTo(1);
        assertThat(p.describeServer()).isEqualTo("cpus 1");
        assertThat(p.serverCommandPrefix()).containsExactly("taskset", "-c", "1");
        assertThat(p.systemProperties()).contains("-Dasyncbench.serverCpus=1", "-Dasyncbench.loadCpus=0",
                "-Dasyncbench.serverThreads=1");
    }

    @Test
    void largerMachinesSplitInHalvesTheServerTakingTheOddOne() {
        Placement p = Placement.auto(true, List.of(0, 1, 2, 3, 4), true);
        assertThat(p.loadCpus()).isEqualTo("0,1");
        assertThat(p.serverCpus()).isEqualTo("2,3,4");
        assertThat(p.serverThreads()).isEqualTo(3);
    }

    @Test
    void withoutTasksetOrWithOneCpuOrWhenToldNothingIsPinned() {
        for (Placement p : List.of(Placement.auto(true, List.of(0, 1), false),
                Placement.auto(true, List.of(0), true), Placement.auto(false, List.of(0, 1), true))) {
            assertThat(p.pinned()).isFalse();
            assertThat(p.describeServer()).isEqualTo("unpinned");
            assertThat(p.serverCommandPrefix()).isEmpty();
        }
        assertThat(Placement.auto(false, List.of(0, 1, 2, 3), true).serverThreads()).isEqualTo(4);
    }

    @Test
    void readsLinuxCpuLists() {
        assertThat(Placement.parseCpuList("0-2,5, 7-8")).containsExactly(0, 1, 2, 5, 7, 8);
        assertThat(Placement.allowedCpus()).isNotEmpty();
    }
}
